"""Enterprise import: a generated 100,000-row workbook, dry run and commit, against django-import-export.

The file has 1% bad rows (wrong check character, unknown industry code, text in a number column,
an unknown town). Our dry run must report every one of them; the commit then imports the file
without them. django-import-export imports the same clean file on its documented fast path: the
same columns mapped, `CachedInstanceLoader` (one query for the existing rows), a foreign-key widget
that looks the towns up once, bulk mode, model validation on; timed from the file's bytes, as ours
is, in the same run on the same database. Both sides: median of three runs, each on an empty table.
The work differs in one named way (`baseline_checks` in the output): ours also checks each credit
code's check character, the industry code against GB/T 4754 and the town against the importer's
scope; the baseline checks model fields only.
"""

from __future__ import annotations

import io
import os
import random
import time
from typing import Any

from django.db import connection, transaction
from openpyxl import Workbook
from timing import figures as figures_of
from timing import measure

from zhaoshang.core import context, imports, uscc
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.qualifications import ensure_defaults
from zhaoshang.enterprises.sheets import REGISTRY_SHEET
from zhaoshang.org import services as org_services
from zhaoshang.org.standard import ensure_standard_kinds

NAME = "import"
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
BAD_SHARE = 0.01
INDUSTRIES = ["3011", "3021", "3421", "2614", "2231", "1371", "3251", "2710"]


def _org() -> list[str]:
    kinds = ensure_standard_kinds()
    with context.acting(context.ActorContext(user_repr="基准测试", channel="cli")):
        province = org_services.unit_create(by=SYSTEM, name="导入基准省", kind=kinds["province"], parent=None)
        city = org_services.unit_create(by=SYSTEM, name="导入基准市", kind=kinds["city"], parent=province)
        county = org_services.unit_create(by=SYSTEM, name="导入基准县", kind=kinds["county"], parent=city)
        names = [f"基准{i + 1}镇" for i in range(20)]
        for name in names:
            org_services.unit_create(by=SYSTEM, name=name, kind=kinds["town"], parent=county)
    ensure_defaults()
    return names


def _code(n: int) -> str:
    body = f"9133{n:013d}"
    return body + uscc.check_character(body)


def _workbook(rows: int, towns: list[str], with_bad: bool) -> tuple[bytes, int]:
    rng = random.Random(20261121)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(REGISTRY_SHEET.title)
    ws.append([c.title + ("*" if c.required else "") for c in REGISTRY_SHEET.columns])
    bad = 0
    for i in range(rows):
        row: list[Any] = [
            _code(i + 1),
            f"基准{i + 1}号{rng.choice('华鑫恒泰宏达永盛')}制造有限公司",
            rng.choice(INDUSTRIES),
            rng.choice(towns),
            None,
            round(rng.uniform(5, 200), 2),
            None,
            None,
            "高新技术企业" if rng.random() < 0.1 else None,
            f"{rng.randint(1995, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "在营",
            "张经理",
            f"13{rng.randint(100000000, 999999999)}",
            None,
        ]
        if with_bad and rng.random() < BAD_SHARE:
            bad += 1
            fault = rng.randrange(4)
            if fault == 0:
                row[0] = row[0][:-1] + ("0" if row[0][-1] != "0" else "1")
            elif fault == 1:
                row[2] = "9999"
            elif fault == 2:
                row[5] = "约一百亩"
            else:
                row[3] = "不存在镇"
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), bad


def _wipe() -> None:
    with transaction.atomic():
        Enterprise.qualifications.through.objects.all().delete()
        Enterprise.objects.all().delete()


def _ours(bad_file: bytes, expected_bad: int, clean_file: bytes) -> dict[str, Any]:
    with context.acting(context.ActorContext(user_repr="基准测试", channel="cli")):
        dry_timing, dry = measure(lambda: imports.check("enterprises", bad_file, "bench.xlsx", SYSTEM))
        reported = dry.bad_rows
        assert reported == expected_bad, (reported, expected_bad)
        timing, plan = measure(
            lambda: imports.commit("enterprises", clean_file, "bench.xlsx", SYSTEM), before=_wipe
        )
    assert not plan.all_errors and Enterprise.objects.count() == ROWS
    return {"dry": dry_timing, "commit": timing, "bad_rows_reported": reported}


def _django_import_export(clean_file: bytes) -> dict[str, float]:
    import tablib
    from import_export import fields, instance_loaders, resources, widgets

    from zhaoshang.org.models import Unit

    titles = {c.key: c.title + ("*" if c.required else "") for c in REGISTRY_SHEET.columns}

    class CachedUnitWidget(widgets.ForeignKeyWidget):
        """The towns looked up once, not one query per row (what the library's docs advise)."""

        def __init__(self) -> None:
            super().__init__(Unit, field="name")
            self.by_name: dict[str, Unit] | None = None

        def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Unit | None:
            if not value:
                return None
            if self.by_name is None:
                self.by_name = {u.name: u for u in Unit.objects.all()}
            return self.by_name[value]

    class EnterpriseResource(resources.ModelResource):
        uscc = fields.Field(attribute="uscc", column_name=titles["uscc"])
        name = fields.Field(attribute="name", column_name=titles["name"])
        industry_code = fields.Field(attribute="industry_code", column_name=titles["industry_code"])
        town = fields.Field(attribute="town", column_name=titles["town"], widget=CachedUnitWidget())
        land_owned_mu = fields.Field(
            attribute="land_owned_mu", column_name=titles["land_owned_mu"], widget=widgets.DecimalWidget()
        )
        founded_on = fields.Field(
            attribute="founded_on", column_name=titles["founded_on"], widget=widgets.DateWidget("%Y-%m-%d")
        )
        contact_person = fields.Field(attribute="contact_person", column_name=titles["contact_person"])
        contact_phone = fields.Field(attribute="contact_phone", column_name=titles["contact_phone"])

        class Meta:
            model = Enterprise
            import_id_fields = ("uscc",)
            instance_loader_class = instance_loaders.CachedInstanceLoader
            fields = (
                "uscc",
                "name",
                "industry_code",
                "town",
                "land_owned_mu",
                "founded_on",
                "contact_person",
                "contact_phone",
            )
            use_bulk = True
            batch_size = 1000
            clean_model_instances = True
            skip_unchanged = True
            skip_diff = True

    def from_the_file() -> Any:
        dataset = tablib.Dataset().load(clean_file, format="xlsx")
        return EnterpriseResource().import_data(
            dataset, dry_run=False, raise_errors=False, use_transactions=True
        )

    timing, result = measure(from_the_file, before=_wipe)
    assert not result.has_errors() and not result.has_validation_errors(), (
        "django-import-export refused the file"
    )
    assert Enterprise.objects.count() == ROWS
    return timing


def run() -> dict[str, Any]:
    towns = _org()
    start = time.perf_counter()
    bad_file, expected_bad = _workbook(ROWS, towns, with_bad=True)
    clean_file, _ = _workbook(ROWS, towns, with_bad=False)
    generate_seconds = time.perf_counter() - start
    _wipe()
    ours = _ours(bad_file, expected_bad, clean_file)
    connection.close()
    die = _django_import_export(clean_file)
    ratio = die["median"] / ours["commit"]["median"]
    return {
        "rows": ROWS,
        "file_mb": round(len(clean_file) / 1024 / 1024, 1),
        "bad_rows_in_file": expected_bad,
        "bad_rows_reported": ours["bad_rows_reported"],
        **figures_of("dry_run_", ours["dry"], 2),
        **figures_of("", ours["commit"], 2),
        **figures_of("django_import_export_", die, 2),
        "ratio_vs_django_import_export": round(ratio, 1),
        "baseline_checks": "model fields only (no check character, GB/T 4754 or town-scope checks)",
        "goal_5x": "yes" if ratio >= 5 else "no",
        "goal_10x": "yes" if ratio >= 10 else "no",
        "generate_seconds": round(generate_seconds, 1),
    }
