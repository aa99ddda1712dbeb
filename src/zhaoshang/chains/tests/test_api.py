"""The chains API: scoped like the pages (another county's chain, node, target or report is not
found), writes refused in Chinese by the services, a report filed and read back, and lists whose
number of queries does not grow with their rows."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhaoshang.chains import services
from zhaoshang.chains.models import Chain, ChainNode, TargetCompany
from zhaoshang.chains.tests.helpers import chain, node
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.org import services as org_services
from zhaoshang.org.models import Leader
from zhaoshang.org.principal import principal_for
from zhaoshang.org.tests.factories import MembershipFactory, UnitFactory, UnitKindFactory, UserFactory
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.helpers import sign

pytestmark = pytest.mark.django_db

TEXTS = {"achievements": "走访企业 6 家", "shortfalls": "配套不足", "causes": "起步晚", "plan": "赴宁波对接"}


def _api(user: Any) -> Client:
    _token, raw = org_services.token_create(by=SYSTEM, user=user, name="产业链接口测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _send(client: Client, method: str, url: str, body: Any) -> Any:
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def _project(county: Any, name: str = "精密数控机床项目") -> Project:
    return project_services.project_create(
        principal_for(county.coordinator),
        name=name,
        investor_name="宁波某机床股份有限公司",
        channel="team",
        town=county.town_a,
        lead_unit=county.bureau,
        planned_investment=Decimal(30000),
    )


def _month() -> str:
    return f"{timezone.localdate():%Y-%m}"


@pytest.fixture
def neighbour(county: Any) -> dict[str, Any]:
    """邻县: its coordinator, and a chain of its own."""
    unit = UnitFactory(name="邻县", kind=UnitKindFactory(code="county"))
    bureau = UnitFactory(name="邻县招商局", kind=UnitKindFactory(code="department"), parent=unit)
    coordinator = UserFactory(username="neighbour_coordinator", display_name="邻县协调员")
    MembershipFactory(user=coordinator, unit=bureau, role=Role.COORDINATOR)
    chief = UserFactory(username="neighbour_leader", display_name="邻县领导")
    MembershipFactory(user=chief, unit=unit, role=Role.LEADER)
    Leader.objects.create(user=chief, unit=unit, title="副县长")
    own = services.chain_create(
        SYSTEM, unit, name="邻县纺织", chief=chief, lead_unit=bureau, output_target=Decimal(1000)
    )
    return {"coordinator": coordinator, "chain": own}


def test_another_county_s_chain_node_target_and_report_are_not_found(county: Any, neighbour: Any) -> None:
    c = chain(county)
    n = node(c)
    t = services.target_create(SYSTEM, c, node=n, name="北京某数控装备集团")
    services.report_file(SYSTEM, c, timezone.localdate(), **TEXTS)
    stranger = _api(neighbour["coordinator"])
    for url in (
        f"/api/chains/{c.pk}",
        f"/api/chains/nodes/{n.pk}",
        f"/api/chains/{c.pk}/targets",
        f"/api/chains/{c.pk}/reports",
    ):
        response = stranger.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "记录不存在，或不在您的权限范围内。"}
    moved = _send(stranger, "POST", f"/api/chains/targets/{t.pk}/moves", {"status": "contacted"})
    filed = _send(stranger, "PUT", f"/api/chains/{c.pk}/reports/{_month()}", TEXTS)
    assert (moved.status_code, filed.status_code) == (404, 404)
    t.refresh_from_db()
    assert t.status == "not_contacted" and c.reports.get().achievements == TEXTS["achievements"]

    # Each county's list shows its own chains only; the county's readers see them in full.
    own = _api(county.staff_a).get("/api/chains/").json()
    assert [i["name"] for i in own["items"]] == ["智能制造"] and own["count"] == 1
    item = own["items"][0]
    assert (item["county"], item["lead_unit"], item["chief"]) == ("测试县", "测试县招商局", "leader")
    assert (item["output_target"], item["node_count"], item["missing_count"]) == ("500000.0000", 1, 1)
    assert [i["name"] for i in stranger.get("/api/chains/").json()["items"]] == ["邻县纺织"]
    assert _api(county.staff_a).get(f"/api/chains/{neighbour['chain'].pk}").status_code == 404
    assert _api(county.enterprise).get("/api/chains/").status_code == 403


def test_a_chain_shows_its_nodes_with_their_facts_and_a_node_its_records(county: Any) -> None:
    c = chain(county)
    upstream = node(c, "伺服电机", status="weak", segment="upstream", industry_codes="3812")
    n = node(c, parent=upstream)
    p = _project(county)
    services.place_projects(SYSTEM, n, [p])
    body = _api(county.staff_a).get(f"/api/chains/{c.pk}").json()
    nodes = {x["name"]: x for x in body["nodes"]}
    assert [x["name"] for x in body["nodes"]] == ["伺服电机", "数控机床"]  # upstream first
    assert nodes["数控机床"]["parent_id"] == upstream.pk
    assert (nodes["数控机床"]["segment_label"], nodes["数控机床"]["status_label"]) == ("中游", "断点（缺失）")
    assert (nodes["数控机床"]["projects"], nodes["数控机床"]["investment"]) == (1, "30000.0000")
    assert nodes["伺服电机"]["industry_codes"] == "3812" and nodes["伺服电机"]["enterprises"] == 0
    record = _api(county.staff_a).get(f"/api/chains/nodes/{n.pk}").json()
    assert record["projects"] == [{"id": p.pk, "name": "精密数控机床项目"}]
    assert (record["chain"], record["enterprise_count"], record["enterprises"]) == ("智能制造", 0, [])


def test_a_move_the_service_refuses_answers_422_in_chinese(county: Any) -> None:
    c = chain(county)
    t = services.target_create(SYSTEM, c, node=node(c), name="北京某数控装备集团")
    coordinator = _api(county.coordinator)
    url = f"/api/chains/targets/{t.pk}/moves"
    skipped = _send(coordinator, "POST", url, {"status": "negotiating"})
    assert skipped.status_code == 422
    assert skipped.json()["errors"] == {"status": ["变更到：不能从“未接触”直接变为“洽谈中”"]}
    unknown = _send(coordinator, "POST", url, {"status": "signed"})
    assert unknown.status_code == 422 and "请选择要变更到的对接状态" in unknown.json()["detail"]
    unexplained = _send(coordinator, "POST", url, {"status": "dropped"})
    assert unexplained.json()["errors"] == {"reason": ["原因：放弃目标企业须写明原因"]}
    # A town's staff reads the chain but does not run it.
    assert _send(_api(county.staff_a), "POST", url, {"status": "contacted"}).status_code == 403

    moved = _send(coordinator, "POST", url, {"status": "contacted", "on": timezone.localdate().isoformat()})
    assert moved.status_code == 200
    assert (moved.json()["status"], moved.json()["status_label"]) == ("contacted", "已接触")
    assert moved.json()["status_since"] == timezone.localdate().isoformat()
    listed = coordinator.get(f"/api/chains/{c.pk}/targets", {"status": "contacted"}).json()
    assert [i["id"] for i in listed["items"]] == [t.pk]
    assert coordinator.get(f"/api/chains/{c.pk}/targets", {"status": "not_contacted"}).json()["count"] == 0
    other = node(c, "伺服电机")
    assert coordinator.get(f"/api/chains/{c.pk}/targets", {"node": other.pk}).json()["count"] == 0
    assert coordinator.get(f"/api/chains/{c.pk}/targets", {"node": t.node_id}).json()["count"] == 1
    refused = coordinator.get(f"/api/chains/{c.pk}/targets", {"status": "x"})
    assert (
        refused.status_code == 422 and "对接状态：只能是 not_contacted（未接触）" in refused.json()["detail"]
    )


def test_a_report_is_filed_and_read_back_with_its_commitments(county: Any) -> None:
    c = chain(county)
    n = node(c)
    p, other = _project(county), _project(county, "数控刀具项目")
    services.place_projects(SYSTEM, n, [p, other])
    elsewhere = _project(county, "别处项目")
    coordinator = _api(county.coordinator)
    url = f"/api/chains/{c.pk}/reports/{_month()}"

    off_chain = _send(coordinator, "PUT", url, {**TEXTS, "sign": [p.pk, elsewhere.pk]})
    assert off_chain.status_code == 422
    assert off_chain.json()["errors"] == {"commitments": ["承诺项目：别处项目 不在本产业链的项目清单中"]}
    unknown = _send(coordinator, "PUT", url, {**TEXTS, "land": [10**9]})
    assert (
        unknown.status_code == 422 and "编号 1000000000 的项目不存在" in unknown.json()["errors"]["land"][0]
    )
    blank = _send(coordinator, "PUT", url, {**TEXTS, "plan": " "})
    assert blank.json()["errors"] == {"plan": ["下月计划：必须填写"]}
    assert _send(coordinator, "PUT", f"/api/chains/{c.pk}/reports/2026-13", TEXTS).status_code == 422
    assert _send(_api(county.staff_a), "PUT", url, TEXTS).status_code == 403
    assert not c.reports.exists()

    sign(county.coordinator, p)
    filed = _send(coordinator, "PUT", url, {**TEXTS, "sign": [p.pk, other.pk], "land": [other.pk]})
    assert filed.status_code == 200, filed.content
    assert filed.json()["month"] == _month() and filed.json()["filed_by"] == "coordinator"
    listed = coordinator.get(f"/api/chains/{c.pk}/reports").json()
    assert listed["count"] == 1
    report = listed["items"][0]
    assert {k: report[k] for k in TEXTS} == TEXTS
    assert (report["late"], report["locked"], report["figures"]) == (False, False, {})
    commitments = {(x["project"], x["kind"]): x for x in report["commitments"]}
    assert set(commitments) == {
        ("精密数控机床项目", "sign"),
        ("数控刀具项目", "sign"),
        ("数控刀具项目", "land"),
    }
    assert commitments[("精密数控机床项目", "sign")]["kept"] is True  # signed this month
    assert commitments[("数控刀具项目", "sign")]["kept"] is False
    assert commitments[("数控刀具项目", "land")]["kind_label"] == "本月落地（开工）"

    revised = _send(coordinator, "PUT", url, {**TEXTS, "achievements": "走访企业 8 家", "sign": [p.pk]})
    assert revised.status_code == 200
    again = coordinator.get(f"/api/chains/{c.pk}/reports").json()["items"][0]
    assert again["achievements"] == "走访企业 8 家" and len(again["commitments"]) == 1


def _targets(c: Chain, nodes: list[ChainNode], county: Any, n: int) -> None:
    TargetCompany.objects.bulk_create(
        [
            TargetCompany(
                chain=c,
                node=nodes[i % len(nodes)],
                name=f"目标企业{c.pk}-{i}",
                team=county.bureau,
                leader=county.leader,
                status_since=timezone.localdate(),
            )
            for i in range(n)
        ]
    )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as q:
        response = client.get(url, {"limit": 100})
        assert response.status_code == 200, url
    return len(q)


def test_the_lists_query_counts_do_not_grow_with_their_rows(county: Any) -> None:
    few, many = chain(county, name="少"), chain(county, name="多")
    for c, n in ((few, 5), (many, 50)):
        nodes = [node(c, f"环节{i}") for i in range(3)]
        _targets(c, nodes, county, n)
        c.deputy_chiefs.set([county.coordinator, county.inspector])
        c.member_units.set([county.town_a, county.town_b])
        projects = [_project(county, f"{c.name}项目{i}") for i in range(3)]
        services.place_projects(SYSTEM, nodes[0], projects)
        first = timezone.localdate().replace(day=1)
        for back in range(n // 5):
            month = (first - dt.timedelta(days=31 * back)).replace(day=1)
            commitments = [(p, "sign") for p in projects] + [(projects[0], "land")]
            services.report_file(SYSTEM, c, month, commitments=commitments, **TEXTS)
    client = _api(county.coordinator)
    client.get("/api/org/me")  # the token's first use is noted once: not counted below
    small = _queries(client, f"/api/chains/{few.pk}/targets")
    assert small == _queries(client, f"/api/chains/{many.pk}/targets")
    assert client.get(f"/api/chains/{many.pk}/targets", {"limit": 100}).json()["count"] == 50
    assert _queries(client, f"/api/chains/{few.pk}/reports") == _queries(
        client, f"/api/chains/{many.pk}/reports"
    )
    assert len(client.get(f"/api/chains/{many.pk}/reports").json()["items"]) == 10
    one = _queries(client, "/api/chains/")
    chain(county, name="第三条")
    assert _queries(client, "/api/chains/") == one
    assert small <= 10
