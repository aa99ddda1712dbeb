"""The outreach API: scoped like the pages (another county's contact, trip, visit, event or claim is not
found; an enterprise is refused), phones masked for those who do not keep the contact, a trip and a
visit recorded through the services or refused field by field in Chinese, and lists whose number of
queries does not grow with their rows."""

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

from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.org import services as org_services
from zhaoshang.org.tests.factories import MembershipFactory, UnitFactory, UnitKindFactory, UserFactory
from zhaoshang.outreach import services
from zhaoshang.outreach.models import Contact, Event, InvestorVisit, ReferrerClaim, Trip
from zhaoshang.projects.tests.helpers import make_project, signed_project

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LISTS = ("contacts", "trips", "visits", "events", "claims")


def _api(user: Any) -> Client:
    _token, raw = org_services.token_create(by=SYSTEM, user=user, name="招商渠道接口测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _records(county: Any, unit: Any, tag: str = "") -> dict[str, Any]:
    """A contact, a trip meeting it, a visit, an event with a signed project, and a claim, in `unit`'s county."""
    contact = services.contact_create(
        SYSTEM, kind="chamber", name=f"浙江商会{tag}", keeper_unit=unit, phone="13912346130"
    )
    trip = services.trip_create(
        SYSTEM,
        unit=unit,
        starts_on=TODAY - dt.timedelta(days=10),
        ends_on=TODAY - dt.timedelta(days=8),
        region="yangtze",
        destination="杭州",
        purpose="拜访商会",
        contacts=[contact],
        companies_met="杭州某集团\n宁波某公司",
    )
    visit = services.visit_create(
        SYSTEM, unit=unit, on=TODAY, company=f"杭州某集团{tag}", visitors="董事长一行"
    )
    event = services.event_create(
        SYSTEM, unit=unit, kind="expo", name=f"花街节推介会{tag}", on=TODAY, place="县城"
    )
    return {"contact": contact, "trip": trip, "visit": visit, "event": event}


@pytest.fixture
def neighbour() -> dict[str, Any]:
    """邻县: a town, its staff member, and its own records."""
    county = UnitFactory(name="邻县", kind=UnitKindFactory(code="county"))
    town = UnitFactory(name="邻县城关镇", kind=UnitKindFactory(code="town"), parent=county)
    staff = UserFactory(username="neighbour_staff", display_name="邻县人员")
    MembershipFactory(user=staff, unit=town, role=Role.UNIT_STAFF)
    return {"county": county, "town": town, "staff": staff, **_records(county, town, "（邻县）")}


def test_records_are_read_in_scope_and_another_county_s_are_not_found(county: Any, neighbour: Any) -> None:
    ours = _records(county, county.town_a)
    project = signed_project(county)
    services.event_add_project(SYSTEM, ours["event"], project, "signed", Decimal(28000))
    services.origin_set(SYSTEM, project, introducing_unit=county.town_a, trip=ours["trip"])
    claim = services.claim_file(
        SYSTEM,
        project,
        referrer=ours["contact"],
        claimant_unit=county.town_a,
        evidence="陪同考察",
        on=project.signed_on,
    )
    client = _api(county.staff_b)  # town B's staff read the county's outreach
    for name in LISTS:
        body = client.get(f"/api/outreach/{name}").json()
        assert body["count"] == 1, (name, body)
    contact = client.get(f"/api/outreach/contacts/{ours['contact'].pk}").json()
    assert (contact["kind_label"], contact["region_label"], contact["phone"]) == (
        "商会",
        "其他地区",
        "139****6130",
    )
    assert (
        _api(county.staff_a).get(f"/api/outreach/contacts/{ours['contact'].pk}").json()["phone"]
        == "13912346130"
    )
    listed = client.get("/api/outreach/contacts").json()["items"][0]
    assert listed["phone"] == "139****6130" and listed["keeper_unit"] == "甲镇"
    trip = _api(county.staff_a).get(f"/api/outreach/trips/{ours['trip'].pk}").json()
    assert trip["contacts"] == [{"id": ours["contact"].pk, "name": "浙江商会"}]
    assert trip["companies_met"] == ["杭州某集团", "宁波某公司"] and trip["region_label"] == "长三角"
    assert trip["leads"] == [{"id": project.pk, "name": project.name}]
    assert client.get(f"/api/outreach/trips/{ours['trip'].pk}").json()["leads"] == []  # town A's project
    event = _api(county.staff_a).get(f"/api/outreach/events/{ours['event'].pk}").json()
    assert event["project_count"] == 1 and event["kind_label"] == "推介会"
    assert event["projects"] == [
        {
            "project_id": project.pk,
            "project": project.name,
            "role": "signed",
            "role_label": "签约",
            "amount": "28000.0000",
            "stage": "signed",
            "stage_label": "签约",
        }
    ]
    read = _api(county.staff_a).get(f"/api/outreach/claims/{claim.pk}").json()
    assert (read["status_label"], read["referrer"], read["project"]) == ("已申报", "浙江商会", project.name)
    assert client.get("/api/outreach/claims", {"state": "recognised"}).json()["count"] == 0

    for path, record in (
        ("contacts", neighbour["contact"]),
        ("trips", neighbour["trip"]),
        ("visits", neighbour["visit"]),
        ("events", neighbour["event"]),
    ):
        answer = client.get(f"/api/outreach/{path}/{record.pk}")
        assert answer.status_code == 404 and answer.json() == {"detail": "记录不存在，或不在您的权限范围内。"}
    assert _api(neighbour["staff"]).get(f"/api/outreach/claims/{claim.pk}").status_code == 404
    assert _api(neighbour["staff"]).get("/api/outreach/contacts").json()["count"] == 1
    refused = _api(county.enterprise).get("/api/outreach/contacts")
    assert refused.status_code == 403 and refused.json() == {"detail": "您的角色无权查看招商活动与渠道。"}
    assert _api(county.enterprise).get(f"/api/outreach/trips/{ours['trip'].pk}").status_code == 403


def test_a_trip_and_a_visit_are_recorded_through_the_services(county: Any) -> None:
    chamber = services.contact_create(SYSTEM, kind="chamber", name="浙江商会", keeper_unit=county.bureau)
    project = make_project(county, county.staff_a)
    client = _api(county.staff_a)
    body = {
        "unit_id": county.town_a.pk,
        "leader_id": county.leader.pk,
        "starts_on": str(TODAY - dt.timedelta(days=3)),
        "ends_on": str(TODAY - dt.timedelta(days=1)),
        "region": "yangtze",
        "destination": "宁波",
        "purpose": "拜访浙江商会",
        "member_ids": [county.staff_a.pk],
        "contact_ids": [chamber.pk],
        "cost": "2.5",
    }
    made = _post(client, "/api/outreach/trips", body)
    assert made.status_code == 201, made.content
    trip = Trip.objects.get(pk=made.json()["id"])
    assert (trip.unit, trip.leader, trip.cost, list(trip.contacts.all())) == (
        county.town_a,
        county.leader,
        Decimal("2.5"),
        [chamber],
    )
    assert made.json()["members"] == [{"id": county.staff_a.pk, "name": "staff_a"}]
    assert AuditEvent.objects.filter(
        target_type="outreach.trip", target_id=str(trip.pk), action="create"
    ).exists()

    visit = _post(
        client,
        "/api/outreach/visits",
        {
            "unit_id": county.town_a.pk,
            "on": str(TODAY),
            "company": "宁波某集团",
            "visitors": "董事长一行 4 人",
            "host_ids": [county.staff_a.pk],
            "contact_id": chamber.pk,
            "project_id": project.pk,
        },
    )
    assert visit.status_code == 201, visit.content
    assert visit.json()["project"] == project.name and visit.json()["contact"] == "浙江商会"
    assert InvestorVisit.objects.get().project == project
    # Town B's staff read the visit but not town A's project.
    seen = _api(county.staff_b).get(f"/api/outreach/visits/{visit.json()['id']}").json()
    assert (seen["project_id"], seen["project"]) == (None, None)


def test_refusals_are_named_field_by_field_in_chinese(county: Any, neighbour: Any) -> None:
    client = _api(county.staff_a)
    base = {
        "unit_id": county.town_a.pk,
        "starts_on": str(TODAY),
        "ends_on": str(TODAY),
        "region": "yangtze",
        "destination": "宁波",
        "purpose": "对接",
    }

    def refusal(url: str, body: dict[str, Any]) -> dict[str, list[str]]:
        answer = _post(client, url, body)
        assert answer.status_code == 422, answer.content
        return answer.json()["errors"]  # type: ignore[no-any-return]

    assert refusal("/api/outreach/trips", base | {"ends_on": str(TODAY - dt.timedelta(days=1))}) == {
        "ends_on": [f"返回日期：不能早于出发日期（{TODAY:%Y-%m-%d}）"]
    }
    assert refusal("/api/outreach/trips", base | {"leader_id": county.staff_b.pk}) == {
        "leader_id": ["带队领导：只能选择您所在区域的县级领导"]
    }
    assert refusal("/api/outreach/trips", base | {"contact_ids": [neighbour["contact"].pk]}) == {
        "contact_ids": [
            f"会见的联络对象：编号 {neighbour['contact'].pk} 的联络对象不存在或不在您的查看范围内"
        ]
    }
    assert refusal("/api/outreach/trips", base | {"member_ids": [neighbour["staff"].pk]}) == {
        "member_ids": ["成员：只能选择您职责范围内单位的人员"]
    }
    assert refusal("/api/outreach/trips", base | {"region": "火星", "cost": "-1"})["region"] == [
        "应为以下之一：yangtze、bohai、pearl、chengyu、other"
    ]
    assert refusal("/api/outreach/trips", {k: v for k, v in base.items() if k != "destination"}) == {
        "destination": ["必填"]
    }
    assert refusal("/api/outreach/trips", base | {"cost": "5000"}) == {
        "cost": ["费用（万元）：应在 0 至 1000 万元之间，请检查单位"]
    }
    visit = {"unit_id": county.town_a.pk, "on": str(TODAY), "company": "某集团", "visitors": "一行 3 人"}
    assert refusal("/api/outreach/visits", visit | {"on": str(TODAY + dt.timedelta(days=1))}) == {
        "on": ["来访日期：不能晚于今天"]
    }
    other_project = make_project(county, county.staff_b, town=county.town_b)
    assert refusal("/api/outreach/visits", visit | {"project_id": other_project.pk}) == {
        "project_id": ["所属项目：不存在或不在您的查看范围内"]
    }
    # Another town's or county's unit is not the staff's to write for; an enterprise may not even read.
    for unit in (county.town_b, neighbour["town"]):
        answer = _post(client, "/api/outreach/trips", base | {"unit_id": unit.pk})
        assert answer.status_code == 403 and answer.json() == {
            "detail": "只能登记本单位（或所辖单位）的招商工作。"
        }
    assert _post(_api(county.enterprise), "/api/outreach/visits", visit).status_code == 403
    assert _post(_api(county.inspector), "/api/outreach/visits", visit).status_code == 403
    assert not Trip.objects.filter(unit__in=[county.town_a, county.town_b]).exists()
    assert not InvestorVisit.objects.filter(unit=county.town_a).exists()


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as q:
        response = client.get(url, {"limit": 100})
        assert response.status_code == 200, url
    return len(q)


def test_the_lists_query_counts_do_not_grow_with_their_rows(county: Any) -> None:
    def more(n: int, tag: str) -> None:
        for i in range(n):
            records = _records(county, county.town_a if i % 2 else county.bureau, f"{tag}{i}")
            services.trip_update(SYSTEM, records["trip"], {}, members=[county.staff_a, county.coordinator])
            records["contact"].linked_units.set([county.town_a, county.town_b])
            project = make_project(county, county.coordinator, name=f"项目{tag}{i}")
            services.visit_update(
                SYSTEM, records["visit"], {"project": project, "contact": records["contact"]}
            )
            services.claim_file(
                SYSTEM, project, referrer=records["contact"], claimant_unit=county.bureau, evidence="陪同考察"
            )

    client = _api(county.staff_a)
    client.get("/api/outreach/contacts")  # the token's first use is recorded once, not on every request
    more(2, "少")
    few = {name: _count(client, f"/api/outreach/{name}") for name in LISTS}
    more(8, "多")
    assert Contact.objects.count() == Trip.objects.count() == Event.objects.count() == 10
    assert ReferrerClaim.objects.count() == 10
    many = {name: _count(client, f"/api/outreach/{name}") for name in LISTS}
    assert many == few
