"""No workbook the platform writes holds a formula, whatever people named their records.

A town named `=HYPERLINK("http://x","y")`, a leader named `+1+1`, an enterprise named `@SUM(1)`:
every export (each page's `?format=xlsx` and each download route) and every import template (each
registered importer, with its hidden lists of choices) is downloaded and its XML scanned for `<f>`.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import Client

from zhaoshang.core import imports
from zhaoshang.core.tests.test_page_walk import RECORD_OF, _patterns, _record
from zhaoshang.core.xlsx import XLSX_TYPE
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org.models import Unit, User
from zhaoshang.projects.models import Project

TOWN = '=HYPERLINK("http://x","y")'
LEADER = "+1+1"
ENTERPRISE = "@SUM(1)"
PROJECT = "-2+3"
FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _formulas(data: bytes) -> list[str]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return [
        name for name in archive.namelist() if name.endswith(".xml") and FORMULA.search(archive.read(name))
    ]


def _text_of(data: bytes) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))


def _downloads(client: Client, user: User) -> dict[str, bytes]:
    """Every workbook this user can download: the routes ending in .xlsx and every page as `?format=xlsx`."""
    found: dict[str, bytes] = {}
    for route, name in _patterns():
        paths = []
        if "<slug:kind>" in route:
            paths = [route.replace("<slug:kind>", kind) for kind in [*imports.REGISTRY, "follow_ups"]]
        elif "<" in route:
            model = RECORD_OF.get(name)
            record = _record(model, user) if model else None
            if record is not None:
                paths = [re.sub(r"<(?:int:)?pk>", str(record.pk), route)]
        else:
            paths = [route]
        for path in paths:
            if "<" in path:
                continue
            for url in ["/" + path + ("" if path.endswith(".xlsx") else "?format=xlsx")]:
                response = client.get(url)
                if response.status_code == 200 and response["Content-Type"] == XLSX_TYPE:
                    found[url] = response.content
    return found


@pytest.mark.django_db
def test_no_export_or_template_holds_a_formula(demo_county: object) -> None:
    town = Unit.objects.get(name="城关镇")
    Unit.objects.filter(pk=town.pk).update(name=TOWN)
    User.objects.filter(username="leader").update(display_name=LEADER)
    enterprise = Enterprise.objects.filter(town=town).order_by("pk").first()
    assert enterprise is not None
    Enterprise.objects.filter(pk=enterprise.pk).update(name=ENTERPRISE)
    Project.objects.filter(pk=Project.objects.order_by("pk").values("pk")[:1]).update(name=PROJECT)

    downloads: dict[str, bytes] = {}
    for username in ("coordinator", "town"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        downloads |= {f"{username} {url}": data for url, data in _downloads(client, user).items()}
    templates = [url for url in downloads if "/templates/" in url]
    assert len(templates) >= 2 * len(imports.REGISTRY)  # every importer's template, for both users
    assert len(downloads) >= len(templates) + 6  # and the exports
    with_formulas = {url: parts for url, data in downloads.items() if (parts := _formulas(data))}
    assert not with_formulas, with_formulas
    everything = b"".join(_text_of(data) for data in downloads.values())
    for payload in (TOWN, LEADER, ENTERPRISE):  # the names were written, as text
        assert ("'" + payload).encode() in everything, payload


def test_the_one_writer_neutralises_what_openpyxl_would_run() -> None:
    from openpyxl import Workbook

    from zhaoshang.core.xlsx import append, put, safe_value

    assert safe_value("=1+1") == "'=1+1" and safe_value(3) == 3 and safe_value(None) is None
    wb = Workbook()
    put(wb.active, 1, 1, TOWN)
    append(wb.active, [LEADER, ENTERPRISE, 5])
    buf = io.BytesIO()
    wb.save(buf)
    assert not _formulas(buf.getvalue())


def test_no_module_writes_cells_but_the_one_writer() -> None:
    """A new export cannot skip the neutralising step: openpyxl is written to only in core/xlsx.py."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    direct = re.compile(r"\.cell\([^)]*value=|\bws\.append\(|WriteOnlyCell\([^)]*value=(?!safe_value)")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and path.name != "xlsx.py" and direct.search(path.read_text())
    ]
    assert not offenders, offenders
    users = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and re.search(r"^(?:import|from) openpyxl", path.read_text(), re.M)
    }
    assert users <= {"core/xlsx.py", "core/sheets/writing.py", "core/sheets/reading.py"}, users
