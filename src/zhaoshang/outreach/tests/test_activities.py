"""The activities side as a county's staff meet it: recording a trip (and being refused in Chinese with
what was typed kept), the lead a trip or a visit brings, an event following its projects "一项一项",
visits and events recorded from their forms, other counties' records not found. The lists, the
calendar and the region view: `test_activities_lists.py` (it shares the helpers here)."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.org.principal import principal_for
from zhaoshang.org.tests.factories import UnitFactory, UnitKindFactory
from zhaoshang.outreach import services
from zhaoshang.outreach.models import Contact, Event, InvestorVisit, ProjectOrigin, Trip
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.helpers import make_project, sign

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _contact(county: Any, name: str, unit: Any = None) -> Contact:
    return Contact.objects.create(
        county=county.county, kind="chamber", name=name, keeper_unit=unit or county.town_a
    )


def _trip(county: Any, destination: str = "宁波", **extra: Any) -> Trip:
    contacts = extra.pop("contacts", ())
    fields: dict[str, Any] = {
        "unit": county.town_a,
        "starts_on": TODAY - dt.timedelta(days=10),
        "ends_on": TODAY - dt.timedelta(days=8),
        "region": "yangtze",
        "destination": destination,
        "purpose": "对接新能源企业",
        "cost": Decimal("2.5"),
    }
    return services.trip_create(principal_for(county.staff_a), contacts=contacts, **(fields | extra))


def _lead(county: Any, source: Any, name: str) -> Project:
    return services.lead_from(
        principal_for(county.staff_a),
        source=source,
        name=name,
        investor_name=f"{name}投资方",
        town=county.town_a,
        lead_unit=county.town_a,
    )


def _links(html: str, prefix: str) -> list[str]:
    return re.findall(rf'href="{prefix}\d+/">([^<]+)</a>', html)


def _sheet(response: Any, column: int) -> list[Any]:
    ws = load_workbook(io.BytesIO(response.content)).active
    return [row[column] for row in ws.iter_rows(min_row=2, values_only=True) if row[0] is not None]


# --- recording a trip ---------------------------------------------------------------------------------


def test_a_trip_is_refused_in_chinese_with_what_was_typed_kept_then_recorded(
    client: Any, county: Any
) -> None:
    met = _contact(county, "宁波甲镇商会")
    client.force_login(county.staff_a)
    form = {
        "unit": county.town_a.pk,
        "leader": county.leader.pk,
        "members": [county.staff_a.pk],
        "starts_on": "2025-05-10",
        "ends_on": "2025-05-08",  # back before leaving
        "region": "yangtze",
        "destination": "宁波",
        "purpose": "拜访宁波甲镇商会",
        "contacts": [met.pk],
        "companies_met": "宁波某电池股份有限公司\n宁波某模具有限公司",
        "cost": "5000",  # 5000 万元: yuan typed into a 万元 box
    }
    refused = client.post("/outreach/trips/new/", form)
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "返回日期：不能早于出发日期（2025-05-10）" in page
    assert "费用（万元）：应在 0 至 1000 万元之间，请检查单位" in page
    assert 'value="宁波"' in page and 'value="5000"' in page and "宁波某模具有限公司" in page
    assert 'value="2025-05-08"' in page

    missing = client.post("/outreach/trips/new/", form | {"destination": "", "ends_on": "2025-05-12"})
    page = missing.content.decode()
    assert missing.status_code == 400 and "目的地：必须填写" in page
    assert 'value="拜访宁波甲镇商会"' in page and 'value="2025-05-12"' in page
    assert not Trip.objects.exists()

    made = client.post("/outreach/trips/new/", form | {"ends_on": "2025-05-12", "cost": "1.8"})
    trip = Trip.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/outreach/trips/{trip.pk}/"
    assert (trip.county, trip.cost, trip.leader) == (county.county, Decimal("1.8"), county.leader)
    assert list(trip.contacts.all()) == [met] and list(trip.members.all()) == [county.staff_a]
    page = client.get(made["Location"]).content.decode()
    assert "2025年5月10日 至 2025年5月12日（3 天）" in page and "长三角" in page
    assert f'href="/outreach/contacts/{met.pk}/">宁波甲镇商会</a>' in page
    assert "<div>宁波某电池股份有限公司</div>" in page and "1.8 万元" in page
    assert 'staff_a<span class="text-muted">（甲镇）</span>' in page  # a member with their unit

    edited = client.post(f"/outreach/trips/{trip.pk}/edit/", form | {"ends_on": "2025-05-11", "cost": "1.8"})
    trip.refresh_from_db()
    assert edited.status_code == 302 and trip.ends_on == dt.date(2025, 5, 11)
    assert AuditEvent.objects.filter(target_type="outreach.trip", target_id=str(trip.pk)).count() == 2


# --- the leads a trip or a visit brings -------------------------------------------------------------


def test_a_lead_from_the_trip_carries_it_as_origin_and_shows_on_the_trip_page(
    client: Any, county: Any
) -> None:
    trip = _trip(county, companies_met="宁波某电池股份有限公司")
    client.force_login(county.staff_a)
    page = client.get(f"/outreach/trips/{trip.pk}/").content.decode()
    assert "从本次外出创建项目线索" in page and 'value="宁波某电池股份有限公司"' in page
    lead = {
        "name": "新能源电池项目",
        "investor_name": "宁波某电池股份有限公司",
        "town": county.town_a.pk,
        "lead_unit": county.town_a.pk,
        "planned_investment": "30000",
    }
    refused = client.post(f"/outreach/trips/{trip.pk}/lead/", lead | {"name": ""})
    assert refused.status_code == 400 and "项目名称：必须填写" in refused.content.decode()
    made = client.post(f"/outreach/trips/{trip.pk}/lead/", lead)
    project = Project.objects.get(name="新能源电池项目")
    assert made.status_code == 302 and made["Location"] == f"/projects/{project.pk}/"
    origin = ProjectOrigin.objects.get(project=project)
    assert (origin.trip, origin.introducing_unit) == (trip, county.town_a)
    page = client.get(f"/outreach/trips/{trip.pk}/").content.decode()
    assert f'<a href="/projects/{project.pk}/">新能源电池项目</a>' in page and "线索" in page

    client.force_login(county.staff_b)  # another town reads the trip, writes nothing from it
    page = client.get(f"/outreach/trips/{trip.pk}/").content.decode()
    assert "从本次外出创建项目线索" not in page and "新能源电池项目" not in page
    assert "另有 1 个项目不在您的查看范围内" in page
    other = lead | {"town": county.town_b.pk, "lead_unit": county.town_b.pk}
    assert client.post(f"/outreach/trips/{trip.pk}/lead/", other).status_code == 403
    assert client.get(f"/outreach/trips/{trip.pk}/edit/").status_code == 403


def test_a_visit_without_a_project_becomes_a_lead_and_then_belongs_to_it(client: Any, county: Any) -> None:
    visit = services.visit_create(
        principal_for(county.staff_a),
        unit=county.town_a,
        on=TODAY,
        company="苏州某精密机械有限公司",
        visitors="王某（总经理）",
        hosts=[county.staff_a],
    )
    client.force_login(county.staff_a)
    page = client.get(f"/outreach/visits/{visit.pk}/").content.decode()
    assert "创建项目线索" in page and 'value="苏州某精密机械有限公司项目"' in page
    made = client.post(
        f"/outreach/visits/{visit.pk}/lead/",
        {
            "name": "精密机械项目",
            "investor_name": visit.company,
            "town": county.town_a.pk,
            "lead_unit": county.town_a.pk,
        },
    )
    visit.refresh_from_db()
    assert visit.project is not None and made["Location"] == f"/projects/{visit.project_id}/"
    assert ProjectOrigin.objects.get(project=visit.project).visit == visit
    page = client.get(f"/outreach/visits/{visit.pk}/").content.decode()
    assert 'id="lead-form"' not in page and "精密机械项目</a>（线索）" in page


# --- an event follows its projects one by one -------------------------------------------------------


def test_an_event_lists_a_project_signed_there_with_its_stage_today(client: Any, county: Any) -> None:
    coordinator = principal_for(county.coordinator)
    event = services.event_create(
        coordinator, unit=county.bureau, kind="expo", name="花街节招商推介会", on=TODAY, place="县会展中心"
    )
    project = sign(county.coordinator, make_project(county, county.coordinator, name="光伏组件项目"))
    client.force_login(county.coordinator)
    refused = client.post(
        f"/outreach/events/{event.pk}/projects/", {"project": project.pk, "role": "signed", "amount": "-1"}
    )
    assert refused.status_code == 400 and "签约金额（万元）：不能为负数" in refused.content.decode()
    added = client.post(
        f"/outreach/events/{event.pk}/projects/", {"project": project.pk, "role": "signed", "amount": "20000"}
    )
    assert added.status_code == 302

    def row() -> str:
        page = client.get(f"/outreach/events/{event.pk}/").content.decode()
        found = re.search(rf'<tr data-project="{project.pk}".*?</tr>', page, re.S)
        assert found, page
        return re.sub(r"\s+", " ", found.group(0))

    first = row()
    assert "光伏组件项目" in first and "签约" in first and "20,000 万元" in first and "28,000 万元" in first
    project_services.project_move(
        coordinator,
        project,
        "land_supplied",
        on=TODAY,
        supplied={"land_area": Decimal("80")},
        evidence=[("land_contract", "出让合同.pdf", b"%PDF")],
    )
    assert "供地" in row()
    project_services.project_move(
        coordinator,
        project,
        "dropped",
        on=TODAY,
        opinion="投资方撤资",
        supplied={"drop_reason": "investor_withdrew"},
    )
    assert "退出" in row() and "签约后已退出" in row() and "投资方放弃" in row()
    assert "有 1 个已退出" in client.get(f"/outreach/events/{event.pk}/").content.decode()


# --- scope ------------------------------------------------------------------------------------------


def test_another_countys_trip_visit_and_event_are_not_found(client: Any, county: Any) -> None:
    other = UnitFactory(name="邻县", kind=UnitKindFactory(code="county"))
    town = UnitFactory(name="邻县丙镇", kind=UnitKindFactory(code="town"), parent=other)
    trip = services.trip_create(
        SYSTEM,
        unit=town,
        starts_on=TODAY,
        ends_on=TODAY,
        region="bohai",
        destination="天津",
        purpose="招商",
    )
    visit = services.visit_create(SYSTEM, unit=town, on=TODAY, company="某公司", visitors="李某")
    event = services.event_create(
        SYSTEM, unit=town, kind="signing", name="邻县签约仪式", on=TODAY, place="邻县"
    )
    for user in (county.staff_a, county.coordinator, county.leader):
        client.force_login(user)
        for url in (
            f"/outreach/trips/{trip.pk}/",
            f"/outreach/visits/{visit.pk}/",
            f"/outreach/events/{event.pk}/",
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert "天津" not in client.get("/outreach/trips/").content.decode()
    client.force_login(county.staff_a)
    assert client.get(f"/outreach/trips/{trip.pk}/edit/").status_code == 404
    assert client.post(f"/outreach/trips/{trip.pk}/lead/", {}).status_code == 404


def test_visits_and_events_are_recorded_from_their_forms(client: Any, county: Any) -> None:
    client.force_login(county.staff_a)
    refused = client.post(
        "/outreach/visits/new/",
        {"unit": county.town_a.pk, "on": "2099-01-01", "company": "某公司", "visitors": "张某"},
    )
    assert refused.status_code == 400 and "来访日期：不能晚于今天" in refused.content.decode()
    made = client.post(
        "/outreach/visits/new/",
        {
            "unit": county.town_a.pk,
            "on": TODAY.isoformat(),
            "company": "某公司",
            "visitors": "张某",
            "hosts": [county.staff_a.pk],
        },
    )
    visit = InvestorVisit.objects.get()
    assert made.status_code == 302 and list(visit.hosts.all()) == [county.staff_a]
    edited = client.post(
        f"/outreach/visits/{visit.pk}/edit/",
        {
            "unit": county.town_a.pk,
            "on": TODAY.isoformat(),
            "company": "某公司",
            "visitors": "张某、李某",
            "hosts": [],
        },
    )
    visit.refresh_from_db()
    assert edited.status_code == 302 and visit.visitors == "张某、李某" and not visit.hosts.exists()
    made = client.post(
        "/outreach/events/new/",
        {
            "unit": county.town_a.pk,
            "kind": "start",
            "name": "一季度集中开工",
            "on": TODAY.isoformat(),
            "place": "",
        },
    )
    assert made.status_code == 400 and "地点：必须填写" in made.content.decode()
    made = client.post(
        "/outreach/events/new/",
        {
            "unit": county.town_a.pk,
            "kind": "start",
            "name": "一季度集中开工",
            "on": TODAY.isoformat(),
            "place": "工业园区",
        },
    )
    assert made.status_code == 302 and Event.objects.get().kind == "start"
