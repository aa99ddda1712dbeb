"""The project list, the alert list and the promotion library as list pages: filters over the user's
scope, columns sorted both ways, only the table swapped by htmx, pickers offering only what the user
may see, bounded queries, and exports naming their filters in words."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from zhaoshang.core.models import AuditEvent
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import services
from zhaoshang.projects.models import FollowUp
from zhaoshang.projects.tests.helpers import make_project
from zhaoshang.promotion import services as promotion_services

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-table"}
TODAY = timezone.localdate()


def _names(html: str, prefix: str = "/projects/") -> list[str]:
    return re.findall(rf'href="{prefix}\d+/">([^<]+)</a>', html)


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.DOTALL)
    assert select, name
    return re.findall(r"<option[^>]*>([^<]+)</option>", select.group(0))


@pytest.fixture
def projects(county: Any) -> dict[str, Any]:
    c = county
    made = {
        "b": make_project(c, c.coordinator, name="乙项目", planned_investment=Decimal("20000")),
        "a": make_project(c, c.coordinator, name="甲项目", planned_investment=Decimal("150000")),
        "c": make_project(
            c, c.coordinator, name="丙项目", planned_investment=Decimal("5000"), industry_code="3011"
        ),
        "other": make_project(c, c.coordinator, town=c.town_b, lead_unit=c.town_b, name="乙镇项目"),
    }
    services.project_move(principal_for(c.coordinator), made["a"], "negotiating", on=TODAY)
    return made


def test_the_project_list_filters_within_the_users_scope(client: Any, county: Any, projects: dict) -> None:
    client.force_login(county.staff_a)
    html = client.get("/projects/").content.decode()
    assert sorted(_names(html)) == sorted(["甲项目", "乙项目", "丙项目"])
    assert _names(client.get("/projects/?stage=negotiating").content.decode()) == ["甲项目"]
    assert _names(client.get("/projects/?industry=3011 水泥制造").content.decode()) == ["丙项目"]
    assert _names(client.get("/projects/?q=丙").content.decode()) == ["丙项目"]
    # Old links keep working: `mine=1` and `overdue=on` as the hand-written form had them.
    assert client.get("/projects/?mine=1&overdue=on").status_code == 200
    # A town outside the user's scope filters nothing and shows nothing of that town.
    html = client.get(f"/projects/?town={county.town_b.pk}").content.decode()
    assert "乙镇项目" not in html and "乡镇：" in html
    assert "15 亿元" in client.get("/projects/?sort=-planned_investment").content.decode()


def test_the_pickers_offer_only_what_the_user_may_see(client: Any, county: Any, projects: dict) -> None:
    client.force_login(county.staff_a)
    html = client.get("/projects/").content.decode()
    assert _options(html, "town") == ["全部乡镇", "甲镇"]
    units = _options(html, "unit")
    assert "乙镇" not in units and {"甲镇", "测试县招商局"} <= set(units)
    assert _options(html, "responsible_leader") == ["全部领导", "leader"]


def test_project_columns_sort_both_ways(client: Any, county: Any, projects: dict) -> None:
    client.force_login(county.staff_a)
    asc = _names(client.get("/projects/?sort=planned_investment").content.decode())
    desc = _names(client.get("/projects/?sort=-planned_investment").content.decode())
    assert asc == ["丙项目", "乙项目", "甲项目"] and desc == asc[::-1]
    by_stage = _names(client.get("/projects/?sort=-stage_order").content.decode())
    assert by_stage[0] == "甲项目"  # 洽谈 comes after 线索 along the path
    page = client.get("/projects/?sort=name&stage=lead").content.decode()
    assert 'href="?sort=-name&amp;stage=lead"' in page and "项目 ▲" in page
    assert client.get("/projects/?sort=pk;drop").status_code == 200


def test_htmx_gets_only_the_project_table(client: Any, county: Any, projects: dict) -> None:
    client.force_login(county.staff_a)
    part = client.get("/projects/?stage=lead", **HTMX).content.decode()
    assert part.lstrip().startswith('<div id="list-table"') and "<html" not in part
    assert sorted(_names(part)) == ["丙项目", "乙项目"]
    assert "/projects/sheets/projects.xlsx?stage=lead" in part  # the exports carry the filters
    board = client.get("/projects/?stage=lead&view=board", **HTMX).content.decode()
    assert board.lstrip().startswith('<div id="list-table"') and 'id="board"' in board
    whole = client.get("/projects/?stage=lead").content.decode()
    assert "<html" in whole and 'hx-push-url="true"' in whole


def test_the_project_export_names_its_filters_and_is_audited(
    client: Any, county: Any, projects: dict
) -> None:
    client.force_login(county.staff_a)
    query = f"stage=lead&town={county.town_a.pk}&view=board"
    for url in (f"/projects/?{query}&format=xlsx", f"/projects/sheets/projects.xlsx?{query}"):
        ws = load_workbook(io.BytesIO(client.get(url).content)).active
        assert sorted(r[1] for r in ws.iter_rows(min_row=2, values_only=True)) == ["丙项目", "乙项目"]
        event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("seq")
        assert event.after == {"筛选条件": "阶段：线索；乡镇：甲镇"}
        assert event.target_repr == "招商项目"


def test_the_project_lists_run_the_same_queries_for_more_rows(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, **HTMX).status_code == 200
        return len(ctx)

    def grow(n: int) -> None:
        for i in range(n):
            p = make_project(county, county.coordinator, name=f"项目{i}", town=county.town_a)
            FollowUp.objects.create(
                project=p, on=TODAY - dt.timedelta(days=90), what="洽谈", by=county.coordinator
            )

    urls = ["/projects/?sort=-name", "/projects/?view=board", "/projects/alerts/?sort=name"]
    grow(3)
    few = [queries(u) for u in urls]
    grow(30)
    assert [queries(u) for u in urls] == few and max(few) <= 14, few


def test_the_alert_list_filters_sorts_and_swaps(client: Any, county: Any) -> None:
    for name, days in (("久未跟进甲", 90), ("久未跟进乙", 60)):
        p = make_project(county, county.coordinator, name=name)
        FollowUp.objects.create(
            project=p, on=TODAY - dt.timedelta(days=days), what="洽谈", by=county.coordinator
        )
    client.force_login(county.staff_a)
    html = client.get("/projects/alerts/").content.decode()
    assert _names(html) == ["久未跟进甲", "久未跟进乙"]  # most overdue first
    asc = _names(client.get("/projects/alerts/?sort=name", **HTMX).content.decode())
    desc = _names(client.get("/projects/alerts/?sort=-name", **HTMX).content.decode())
    assert desc == asc[::-1] and len(asc) == 2
    part = client.get("/projects/alerts/?q=乙", **HTMX).content.decode()
    assert part.lstrip().startswith('<div id="list-table"') and _names(part) == ["久未跟进乙"]


def _proposal(county: Any, name: str, unit: Any, money: str, maturity: str = "proposal") -> Any:
    return promotion_services.promotion_create(
        principal_for(county.coordinator),
        name=name,
        unit=unit,
        industry_code="3130",
        chain_node="不锈钢产业链",
        estimated_investment=Decimal(money),
        land_mu=Decimal("10"),
        maturity=maturity,
        description="",
    )


def test_the_library_filters_sorts_swaps_and_counts_under_the_filters(client: Any, county: Any) -> None:
    _proposal(county, "甲储备", county.town_a, "30000")
    _proposal(county, "乙储备", county.town_a, "8000", maturity="idea")
    p = _proposal(county, "丙储备", county.town_a, "12000")
    promotion_services.promotion_move(principal_for(county.coordinator), p, "promoting")
    _proposal(county, "乙镇储备", county.town_b, "1")
    client.force_login(county.staff_a)
    lib = "/projects/library/"
    asc = _names(client.get(f"{lib}?sort=estimated_investment").content.decode(), lib)
    desc = _names(client.get(f"{lib}?sort=-estimated_investment").content.decode(), lib)
    assert asc == ["乙储备", "丙储备", "甲储备"] and desc == asc[::-1]
    assert _options(client.get(lib).content.decode(), "unit") == ["全部单位", "甲镇", "甲镇工业功能区"]
    part = client.get(f"{lib}?maturity=proposal", **HTMX).content.decode()
    assert part.lstrip().startswith('<div id="list-table"') and "<html" not in part
    # The counts follow the other filters and link to exactly their rows.
    counts = client.get(f"{lib}?maturity=proposal&status=promoting").context["counts"]
    assert {s: (n, link) for s, _, n, link in counts}["reserve"] == (1, "maturity=proposal&status=reserve")
    assert "3 亿元" in client.get(lib).content.decode()
    client.get(f"{lib}?maturity=proposal&status=reserve&format=xlsx")
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("seq")
    assert event.after == {"筛选条件": "状态：储备；策划深度：项目建议书"}


def test_the_figures_export_is_audited_with_its_choices(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    response = client.get(f"/projects/figures/?year={TODAY.year}&by=lead_unit&format=xlsx")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("seq")
    assert event.after == {"筛选条件": f"年度：{TODAY.year}；统计口径：牵头单位"}


def test_a_board_column_shows_its_first_cards_and_links_to_the_rest(client: Any, county: Any) -> None:
    for i in range(23):
        make_project(county, county.coordinator, name=f"线索项目{i:02d}")
    make_project(county, county.coordinator, name="洽谈项目")
    services.project_move(
        principal_for(county.coordinator), make_project(county, county.coordinator), "negotiating", on=TODAY
    )
    client.force_login(county.coordinator)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/projects/?view=board&town={county.town_a.pk}", **HTMX).content.decode()
    lead = html.split('data-stage="lead"')[1].split('data-stage="negotiating"')[0]
    assert lead.count("board-card") == 20 and "20+" in html.split('data-stage="lead"')[0][-200:]
    assert f"?town={county.town_a.pk}&amp;stage=lead" in lead and "查看本阶段全部项目" in lead
    assert html.split('data-stage="negotiating"')[1].count("board-card") == 1
    assert len(queries) <= 14 + 8  # the page's own, and one short query per stage however many cards
