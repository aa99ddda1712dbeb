"""The contacts side of 招商活动与渠道: the contacts list and its export, a contact's page with its
history and masked phone, the forms and their refusals, commission agreements, and the links
speech 000 prescribes (teams and towns with a chamber, offices with a leadership body and leader)."""

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
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.org.tests.factories import UnitFactory, UnitKindFactory
from zhaoshang.outreach import services
from zhaoshang.outreach.models import (
    Agreement,
    Contact,
    Encounter,
    InvestorVisit,
    OfficeLink,
    ReferrerClaim,
    Trip,
)
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.helpers import make_project

pytestmark = pytest.mark.django_db

PHONE, MASKED = "13912346130", "139****6130"


def contact(county: Any, name: str, **extra: Any) -> Contact:
    fields: dict[str, Any] = {"kind": "chamber", "region": "yangtze", "keeper_unit": county.bureau}
    return services.contact_create(SYSTEM, name=name, **(fields | extra))


def _table(page: str, table_id: str) -> list[list[str]]:
    """The cells of a table's body, tags stripped, row by row."""
    body = page.split(f'id="{table_id}"')[1].split("</tbody>")[0].split("<tbody>")[1]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]


def _listed(client: Any, query: str = "") -> tuple[list[list[str]], list[tuple[Any, ...]]]:
    """The contacts list's rows on the page and in its export."""
    url = "/outreach/contacts/" + (f"?{query}" if query else "")
    page = client.get(url)
    assert page.status_code == 200
    shown = [r for r in _table(page.content.decode(), "contacts-table") if len(r) > 1]
    exported = client.get(url + ("&" if query else "?") + "format=xlsx")
    assert exported.status_code == 200
    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    return shown, rows[1:]


def _few(county: Any) -> dict[str, Contact]:
    return {
        "zj": contact(county, "浙江商会", organisation="杭州市温州商会", keeper_leader=county.leader),
        "zs": contact(
            county,
            "张三",
            kind="hometown",
            home_town="甲镇",
            based_in="深圳",
            region="pearl",
            keeper_unit=county.town_a,
            phone=PHONE,
        ),
        "ls": contact(
            county, "李四", kind="hometown", home_town="乙镇", region="pearl", keeper_unit=county.town_b
        ),
        "bj": contact(
            county, "北京某投资机构", kind="investor", region="bohai", active=False, phone="010-88886666"
        ),
    }


def test_the_contacts_list_filters_and_its_export_writes_the_rows_it_shows(client: Any, county: Any) -> None:
    _few(county)
    client.force_login(county.coordinator)
    cases = {
        "": {"浙江商会", "张三", "李四", "北京某投资机构"},
        "kind=hometown": {"张三", "李四"},
        "region=pearl": {"张三", "李四"},
        f"keeper_unit={county.town_a.pk}": {"张三"},
        f"keeper_leader={county.leader.pk}": {"浙江商会"},
        "active=no": {"北京某投资机构"},
        "active=yes&kind=investor": set(),
        "q=甲镇": {"张三"},  # the home town
        "q=温州": {"浙江商会"},  # the organisation
        "q=投资": {"北京某投资机构"},  # the name
    }
    for query, names in cases.items():
        shown, exported = _listed(client, query)
        assert [r[0] for r in shown] == [r[0] for r in exported], query
        assert {r[0] for r in shown} == names, query
    by_name, newest = _listed(client, "sort=name")[0], _listed(client, "sort=-created_at")[0]
    assert [r[0] for r in newest] == ["北京某投资机构", "李四", "张三", "浙江商会"]
    assert sorted(r[0] for r in by_name) == sorted(r[0] for r in newest)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() >= len(cases)

    client.force_login(county.staff_b)  # the phones as the page shows them, in the workbook too
    shown, exported = _listed(client)
    phones = {r[0]: r[5] for r in shown}
    assert phones == {r[0]: r[7] or "—" for r in exported}
    assert phones["张三"] == MASKED and phones["北京某投资机构"] == "010****6666"


def test_the_contacts_list_reads_the_same_number_of_queries_for_five_and_fifty(
    client: Any, county: Any
) -> None:
    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            c = contact(
                county, f"商会{i:03d}", keeper_unit=county.town_a, phone=PHONE, keeper_leader=county.leader
            )
            c.linked_units.set([county.town_a, county.town_b])

    def count(query: str) -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get(f"/outreach/contacts/{query}").status_code == 200
        return len(q)

    client.force_login(county.staff_a)
    add(5, 0)
    few = [count(""), count("?kind=chamber&sort=-created_at"), count("?format=xlsx")]
    add(45, 5)
    assert [count(""), count("?kind=chamber&sort=-created_at"), count("?format=xlsx")] == few


def test_a_contact_s_phone_is_masked_for_a_town_that_does_not_keep_it(client: Any, county: Any) -> None:
    c = contact(county, "王五", kind="hometown", home_town="乙镇", keeper_unit=county.town_b, phone=PHONE)
    for user, seen in ((county.staff_a, MASKED), (county.staff_b, PHONE), (county.coordinator, PHONE)):
        client.force_login(user)
        page = client.get(f"/outreach/contacts/{c.pk}/").content.decode()
        shown = page.split('id="contact-phone"')[1].split("</dd>")[0]
        assert seen in shown and (seen == PHONE or PHONE not in page), user
        listed = _table(client.get("/outreach/contacts/").content.decode(), "contacts-table")
        assert listed[0][5] == seen, user


def test_another_county_s_contact_is_not_found(client: Any, county: Any) -> None:
    other = UnitFactory(name="外县", kind=UnitKindFactory(code="county"))
    town = UnitFactory(name="外县城关镇", kind=UnitKindFactory(code="town"), parent=other)
    theirs = contact(county, "外县商会", keeper_unit=town)
    assert theirs.county == other
    for user in (county.coordinator, county.staff_a, county.leader):
        client.force_login(user)
        assert client.get(f"/outreach/contacts/{theirs.pk}/").status_code == 404
        assert "外县商会" not in client.get("/outreach/contacts/").content.decode()
    client.force_login(county.coordinator)
    assert client.get(f"/outreach/contacts/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/outreach/contacts/{theirs.pk}/encounters/", {"summary": "x"}).status_code == 404


def test_a_bad_phone_and_a_home_town_entrepreneur_without_home_town_are_refused(
    client: Any, county: Any
) -> None:
    client.force_login(county.staff_a)
    form = {
        "kind": "hometown",
        "name": "赵六",
        "region": "yangtze",
        "phone": "139-abc",
        "keeper_unit": county.town_a.pk,
    }
    refused = client.post("/outreach/contacts/new/", form | {"organisation": "宁波某模具有限公司 董事长"})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "联系电话：只能填写数字" in page and "家乡（乡镇）：乡友企业家须写明家乡" in page
    assert (
        'value="赵六"' in page and 'value="139-abc"' in page and 'value="宁波某模具有限公司 董事长"' in page
    )
    assert not Contact.objects.filter(name="赵六").exists()

    made = client.post(
        "/outreach/contacts/new/",
        form
        | {"phone": "139 1234 6130", "home_town": "甲镇", "linked_units": [county.town_a.pk], "active": "on"},
    )
    c = Contact.objects.get(name="赵六")
    assert made.status_code == 302 and made["Location"] == f"/outreach/contacts/{c.pk}/"
    assert (c.county, c.keeper_unit, c.home_town, list(c.linked_units.all())) == (
        county.county,
        county.town_a,
        "甲镇",
        [county.town_a],
    )
    # Another town's unit cannot keep it; the edit keeps what was typed and records the reason.
    edit = {
        **form,
        "phone": "139 1234 6130",
        "home_town": "甲镇",
        "keeper_unit": county.town_b.pk,
        "reason": "x",
    }
    assert client.post(f"/outreach/contacts/{c.pk}/edit/", edit).status_code == 400
    edit |= {"keeper_unit": county.town_a.pk, "based_in": "宁波", "reason": "已在宁波设厂", "active": "on"}
    assert client.post(f"/outreach/contacts/{c.pk}/edit/", edit).status_code == 302
    c.refresh_from_db()
    assert c.based_in == "宁波" and list(c.linked_units.all()) == []
    assert AuditEvent.objects.filter(target_id=str(c.pk), reason="已在宁波设厂").exists()
    client.force_login(county.staff_b)  # a town that does not keep it reads it but does not edit it
    assert client.get(f"/outreach/contacts/{c.pk}/edit/").status_code == 403
    assert "contact-edit" not in client.get(f"/outreach/contacts/{c.pk}/").content.decode()


def test_an_encounter_added_shows_on_the_contact_s_page_with_its_history(client: Any, county: Any) -> None:
    c = contact(county, "浙江商会")
    today = timezone.localdate()
    trip = Trip.objects.create(
        county=county.county,
        unit=county.bureau,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today - dt.timedelta(days=28),
        region="yangtze",
        destination="杭州",
        purpose="拜访浙江商会",
    )
    trip.contacts.add(c)
    InvestorVisit.objects.create(
        county=county.county,
        unit=county.town_a,
        on=today - dt.timedelta(days=10),
        company="温州某电气有限公司",
        visitors="陈总一行",
        contact=c,
    )
    p = make_project(county, county.coordinator, name="智能电气项目")
    ReferrerClaim.objects.create(
        project=p,
        referrer=c,
        claimant_unit=county.town_a,
        claimed_on=today - dt.timedelta(days=5),
        evidence="引荐",
    )
    client.force_login(county.staff_a)
    refused = client.post(
        f"/outreach/contacts/{c.pk}/encounters/",
        {
            "on": (today + dt.timedelta(days=1)).isoformat(),
            "kind": "call",
            "unit": county.town_a.pk,
            "summary": "约定来访",
        },
    )
    assert refused.status_code == 400 and "日期：不能晚于今天" in refused.content.decode()
    assert 'value="约定来访"' in refused.content.decode() or "约定来访</textarea>" in refused.content.decode()
    done = client.post(
        f"/outreach/contacts/{c.pk}/encounters/",
        {"on": today.isoformat(), "kind": "call", "unit": county.town_a.pk, "summary": "约定下月来访"},
    )
    assert done.status_code == 302 and Encounter.objects.get(contact=c).by == county.staff_a
    page = client.get(f"/outreach/contacts/{c.pk}/").content.decode()
    history = page.split('id="contact-history"')[1]
    order = [
        history.index(t) for t in ("约定下月来访", "智能电气项目", "温州某电气有限公司", "测试县招商局赴杭州")
    ]
    assert order == sorted(order)  # newest first
    assert f'href="/projects/{p.pk}/"' in page and "已申报" in page
    client.force_login(county.leader)  # a leader reads it; only those who write business records add to it
    assert "encounter-form" not in client.get(f"/outreach/contacts/{c.pk}/").content.decode()


def test_an_agreement_ending_before_it_starts_is_refused_and_its_projects_are_added(
    client: Any, county: Any
) -> None:
    chamber = contact(county, "浙江商会")
    contact(county, "张三", kind="hometown", home_town="甲镇")  # no party to an agreement
    client.force_login(county.coordinator)
    form = {
        "contact": chamber.pk,
        "title": "委托浙江商会招商协议",
        "signed_on": "2025-03-01",
        "starts_on": "2025-03-01",
        "ends_on": "2025-02-01",
        "scope_text": "长三角地区新能源、装备制造企业",
        "reward_terms": "按实际到位资金的千分之五奖励",
    }
    assert "张三" not in client.get("/outreach/agreements/new/").content.decode()
    refused = client.post("/outreach/agreements/new/", form)
    page = refused.content.decode()
    assert refused.status_code == 400 and "截止日期：不能早于开始日期（2025-03-01）" in page
    assert 'value="委托浙江商会招商协议"' in page and not Agreement.objects.exists()
    made = client.post("/outreach/agreements/new/", form | {"ends_on": "2027-02-28"})
    a = Agreement.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/outreach/agreements/{a.pk}/"
    assert a.county == county.county

    kept = make_project(county, county.coordinator, name="新能源电池项目")
    dropped = make_project(county, county.coordinator, name="已退出项目")
    Project.objects.filter(pk=kept.pk).update(funds_in_place=Decimal("12000"))
    Project.objects.filter(pk=dropped.pk).update(stage="dropped")
    picker = client.get(f"/outreach/agreements/{a.pk}/").content.decode()
    assert "新能源电池项目" in picker and "已退出项目" not in picker
    assert (
        client.post(f"/outreach/agreements/{a.pk}/projects/", {"projects": [dropped.pk]}).status_code == 400
    )
    assert client.post(f"/outreach/agreements/{a.pk}/projects/", {"projects": [kept.pk]}).status_code == 302
    rows = _table(client.get(f"/outreach/agreements/{a.pk}/").content.decode(), "agreement-projects")
    assert rows == [["新能源电池项目", "线索", "12,000 万元"]]
    listed = _table(client.get("/outreach/agreements/").content.decode(), "agreements-table")
    assert listed[0][0] == "委托浙江商会招商协议" and listed[0][5] == "1 个"
    client.force_login(county.staff_a)  # a town reads the agreement; only the coordinator adds to it
    assert "agreement-projects-form" not in client.get(f"/outreach/agreements/{a.pk}/").content.decode()
    assert client.post(f"/outreach/agreements/{a.pk}/projects/", {"projects": [kept.pk]}).status_code == 403
    assert client.get("/outreach/agreements/new/").status_code == 403


def _unlinked(client: Any) -> str:
    page = client.get("/outreach/links/").content.decode()
    return page.split('id="unlinked"')[1].split("</div>")[0]


def test_a_town_without_a_chamber_is_flagged_until_a_chamber_names_it(client: Any, county: Any) -> None:
    team = UnitFactory(name="招商一组", kind=UnitKindFactory(code="team"), parent=county.bureau)
    chamber = contact(county, "浙江商会")
    contact(county, "温州商会", keeper_unit=team)  # a team keeps one
    contact(county, "某咨询公司", kind="agent", linked_units=[county.town_b])  # an agent is no chamber
    client.force_login(county.staff_a)
    flagged = _unlinked(client)
    assert "甲镇" in flagged and "乙镇" in flagged and "招商一组" not in flagged
    assert "未挂钩商会或协会" in flagged
    services.contact_update(SYSTEM, chamber, {"linked_units": [county.town_a]})
    flagged = _unlinked(client)
    assert "甲镇" not in flagged and "乙镇" in flagged
    rows = _table(client.get("/outreach/links/").content.decode(), "unit-links")
    assert rows[0][0] == "乙镇"  # those without one first
    assert ["甲镇", "乡镇/街道", "浙江商会"] in rows

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            client.get("/outreach/links/")
        return len(q)

    before = count()
    for i in range(10):
        contact(county, f"商会{i}", linked_units=[county.town_a, county.town_b, team])
    assert count() == before


def test_the_coordinator_links_an_office_and_town_staff_cannot(client: Any, county: Any) -> None:
    office = UnitFactory(name="长三角招商分局", kind=UnitKindFactory(code="office"), parent=county.county)
    UnitFactory(name="环渤海招商分局", kind=UnitKindFactory(code="office"), parent=county.county)
    body = UnitFactory(name="县委", kind=UnitKindFactory(code="leadership"), parent=county.county)
    client.force_login(county.coordinator)
    page = client.get("/outreach/links/").content.decode()
    rows = page.split('id="office-links"')[1]
    assert rows.count("未明确牵头领导机关和联系县领导") == 2 and "县委" in rows
    form = {"office": office.pk, "body": body.pk, "leader": county.leader.pk, "region": ""}
    refused = client.post("/outreach/links/offices/", form)
    assert refused.status_code == 400 and "这个字段是必填项" in refused.content.decode()
    assert (
        client.post(
            "/outreach/links/offices/", form | {"body": county.bureau.pk, "region": "yangtze"}
        ).status_code
        == 400
    )
    done = client.post("/outreach/links/offices/", form | {"region": "yangtze"})
    assert done.status_code == 302 and done["Location"] == "/outreach/links/"
    link = OfficeLink.objects.get(office=office)
    assert (link.body, link.leader, link.region) == (body, county.leader, "yangtze")
    cells = _table(client.get("/outreach/links/").content.decode(), "office-links")
    assert cells[0][:4] == ["长三角招商分局", "县委", "leader", "长三角"]
    assert cells[1][1] == "未明确牵头领导机关和联系县领导"

    client.force_login(county.staff_a)
    page = client.get("/outreach/links/").content.decode()
    assert "office-link-form" not in page and "长三角招商分局" in page
    assert client.post("/outreach/links/offices/", form | {"region": "bohai"}).status_code == 403
    assert OfficeLink.objects.get(office=office).region == "yangtze"
