"""The list toolkit as a user meets it on the enterprise list: filters over the user's scope, sorting
by a column, only the table swapped by htmx, pickers that offer only what the user may see, and the
export with its filters in words."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from zhaoshang.core.models import AuditEvent
from zhaoshang.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-table"}


def _names(html: str) -> list[str]:
    import re

    return re.findall(r'href="/enterprises/\d+/">([^<]+)</a>', html)


@pytest.fixture
def firms(county: object) -> dict[str, object]:
    c = county
    return {
        "b": EnterpriseFactory(
            name="乙公司", town=c.town_a, industry_code="3011", founded_on=dt.date(2010, 1, 1)
        ),  # type: ignore[attr-defined]
        "a": EnterpriseFactory(
            name="甲公司", town=c.town_a, industry_code="2231", founded_on=dt.date(2015, 1, 1)
        ),  # type: ignore[attr-defined]
        "c": EnterpriseFactory(
            name="丙公司", town=c.town_a, industry_code="3012", founded_on=dt.date(2001, 1, 1)
        ),  # type: ignore[attr-defined]
        "other": EnterpriseFactory(name="乙镇公司", town=c.town_b, industry_code="3011"),  # type: ignore[attr-defined]
    }


def test_the_list_starts_from_what_the_user_may_see(client: object, county: object, firms: dict) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    html = client.get("/enterprises/").content.decode()  # type: ignore[attr-defined]
    assert sorted(_names(html)) == sorted(["甲公司", "乙公司", "丙公司"])
    # A town outside the user's scope in the URL filters nothing and shows nothing of that town.
    html = client.get(f"/enterprises/?town={county.town_b.pk}").content.decode()  # type: ignore[attr-defined]
    assert "乙镇公司" not in html and "乡镇：" in html


def test_every_column_sorts_both_ways(client: object, county: object, firms: dict) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    asc = _names(client.get("/enterprises/?sort=founded_on").content.decode())  # type: ignore[attr-defined]
    desc = _names(client.get("/enterprises/?sort=-founded_on").content.decode())  # type: ignore[attr-defined]
    assert asc == ["丙公司", "乙公司", "甲公司"] and desc == asc[::-1]
    # The header of the column in force links to the reverse order and shows its arrow.
    page = client.get("/enterprises/?sort=founded_on&industry=30").content.decode()  # type: ignore[attr-defined]
    assert 'href="?sort=-founded_on&amp;industry=30"' in page and "成立日期 ▲" in page
    # A made-up sort key falls back to the default instead of failing.
    assert client.get("/enterprises/?sort=uscc;drop").status_code == 200  # type: ignore[attr-defined]


def test_htmx_gets_only_the_table_and_a_plain_request_the_page(
    client: object, county: object, firms: dict
) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    part = client.get("/enterprises/?industry=30", **HTMX).content.decode()  # type: ignore[attr-defined]
    assert part.lstrip().startswith('<div id="list-table"') and "<html" not in part
    assert sorted(_names(part)) == ["丙公司", "乙公司"]
    assert "format=xlsx" in part  # the export links inside the table carry the filters in force
    whole = client.get("/enterprises/?industry=30").content.decode()  # type: ignore[attr-defined]
    assert "<html" in whole and 'hx-push-url="true"' in whole


def test_the_industry_is_named_and_picked_by_name(client: object, county: object, firms: dict) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    html = client.get("/enterprises/").content.decode()  # type: ignore[attr-defined]
    assert "3011 水泥制造" in html
    options = client.get("/industries/options/?industry=水泥").content.decode()  # type: ignore[attr-defined]
    assert '<option value="3011 水泥制造">' in options
    # What the picker fills in filters like the bare code.
    picked = client.get("/enterprises/?industry=3011 水泥制造").content.decode()  # type: ignore[attr-defined]
    assert _names(picked) == ["乙公司"]


def test_the_export_names_its_filters_and_is_audited(client: object, county: object, firms: dict) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    response = client.get(f"/enterprises/?industry=30&town={county.town_a.pk}&format=xlsx")  # type: ignore[attr-defined]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert sorted(r[1] for r in ws.iter_rows(min_row=2, values_only=True)) == ["丙公司", "乙公司"]
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("seq")
    assert event.after == {"筛选条件": "行业：30；乡镇：甲镇"}


def test_the_list_runs_the_same_queries_for_more_rows(client: object, county: object) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]

    def queries() -> int:
        cache.clear()  # the scope's 规上 summary is kept five minutes: count it both times
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/enterprises/?sort=-name", **HTMX).status_code == 200  # type: ignore[attr-defined]
        return len(ctx)

    EnterpriseFactory.create_batch(3, town=county.town_a)  # type: ignore[attr-defined]
    few = queries()
    EnterpriseFactory.create_batch(30, town=county.town_a)  # type: ignore[attr-defined]
    assert queries() == few <= 12


def test_the_exported_file_says_what_it_holds_and_formats_figures(client: object, county: object) -> None:
    from decimal import Decimal

    EnterpriseFactory(name="甲镇水泥厂", town=county.town_a, land_owned_mu=Decimal("1234.5"))  # type: ignore[attr-defined]
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    wb = load_workbook(io.BytesIO(client.get("/enterprises/?scale=below&format=xlsx").content))  # type: ignore[attr-defined]
    data, about = wb.worksheets
    land = next(c for c in data[2] if c.value == 1234.5)
    assert land.number_format == "#,##0.00##"
    notes = dict(about.iter_rows(values_only=True))
    assert (
        notes["筛选条件"] == "规模：规下" and notes["导出人"] == "staff_a" and notes["导出内容"] == "企业名录"
    )
