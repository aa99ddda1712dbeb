"""The outreach as spreadsheets: contacts, trips, visits and events go round (template → import →
export → import again changes nothing), bad rows are named in Chinese with nothing written, another
county's unit is refused, every imported row leaves one audit event, and a phone is exported as the
exporting person may read it and never written over by its masked form."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook

from zhaoshang.core import audit, imports
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.org.principal import principal_for
from zhaoshang.org.tests.factories import MembershipFactory, UnitFactory, UnitKindFactory, UserFactory
from zhaoshang.outreach import services
from zhaoshang.outreach.models import Contact, Event, InvestorVisit, Trip
from zhaoshang.projects.tests.helpers import make_project

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
KINDS = ("outreach-contacts", "outreach-trips", "outreach-visits", "outreach-events")


def _header(text: Any) -> str:
    return re.sub(r"（[^）]*）$", "", str(text).rstrip("*"))


def _fill(kind: str, rows: list[dict[str, Any]], by: Any) -> bytes:
    """Download the template and fill it in by column header, as a person would in Excel."""
    wb = load_workbook(io.BytesIO(imports.template(kind, by)))
    ws = wb.active
    headers = [_header(c.value) for c in ws[1]]
    for row in rows:
        unknown = set(row) - set(headers)
        assert not unknown, unknown
        ws.append([row.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rows(data: bytes) -> list[dict[str, Any]]:
    table = list(load_workbook(io.BytesIO(data)).active.values)
    headers = [_header(h) for h in table[0]]
    return [dict(zip(headers, row, strict=True)) for row in table[1:]]


def _counts(plan: imports.Plan) -> tuple[int, int, int, int]:
    r = plan.report()
    return r["new"], r["changed"], r["unchanged"], r["error_count"]


def _errors(plan: imports.Plan) -> dict[tuple[int, str], str]:
    return {(e.row, e.column): e.message for e in plan.all_errors}


def _last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _one_event_a_row(since: int, rows: int) -> list[AuditEvent]:
    """The events written after `since`: one for each imported row (2, 3, …), naming it."""
    events = list(AuditEvent.objects.filter(seq__gt=since).order_by("seq"))
    found = [re.match(r"导入第 (\d+) 行", e.reason) for e in events]
    assert sorted(int(m[1]) for m in found if m) == list(range(2, rows + 2)) and all(found)
    return events


def _round_trip(kind: str, by: Any, rows: int) -> None:
    """The export of what was imported imports again with nothing new and nothing changed."""
    exported = imports.export(kind, by)
    assert len(_rows(exported)) == rows
    assert _counts(imports.check(kind, exported, "导出.xlsx", by)) == (0, 0, rows, 0)


CONTACTS = [
    {
        "类别": "商会",
        "名称或姓名": "浙江商会",
        "所在单位及职务": "会长 王某",
        "所在区域": "长三角",
        "联系电话": "13912346130",
        "联系单位": "甲镇",
        "联系县领导": "leader",
        "挂钩联系单位": "甲镇",
    },
    {
        "类别": "乡友企业家",
        "名称或姓名": "张三",
        "家乡": "甲镇",
        "现在所在地": "杭州",
        "联系电话": "0571-88888888",
        "联系单位": "甲镇",
        "保持联系": "是",
    },
]


def test_contacts_go_round_and_a_masked_phone_never_overwrites_the_number(county: Any) -> None:
    staff = principal_for(county.staff_a)
    data = _fill("outreach-contacts", CONTACTS, staff)
    assert _counts(imports.check("outreach-contacts", data, "联络对象.xlsx", staff)) == (2, 0, 0, 0)
    assert not Contact.objects.exists()  # a dry run writes nothing
    since = _last_seq()
    imports.commit("outreach-contacts", data, "联络对象.xlsx", staff)
    chamber = Contact.objects.get(name="浙江商会")
    assert (chamber.county, chamber.keeper_unit, chamber.keeper_leader) == (
        county.county,
        county.town_a,
        county.leader,
    )
    assert (chamber.kind, chamber.region, chamber.phone, chamber.active) == (
        "chamber",
        "yangtze",
        "13912346130",
        True,
    )
    assert list(chamber.linked_units.all()) == [county.town_a]
    assert Contact.objects.get(name="张三").home_town == "甲镇"
    events = _one_event_a_row(since, 2)
    assert {e.action for e in events} == {"create"} and events[0].after["linked_units"] == ["甲镇"]
    _round_trip("outreach-contacts", staff, 2)

    # Town B's staff read the county's contacts with the phones masked, and their export goes round.
    other = principal_for(county.staff_b)
    masked = _rows(imports.export("outreach-contacts", other))
    assert {r["名称或姓名"]: r["联系电话"] for r in masked} == {
        "浙江商会": "139****6130",
        "张三": "057****8888",
    }
    assert _counts(
        imports.check("outreach-contacts", imports.export("outreach-contacts", other), "乙.xlsx", other)
    ) == (
        0,
        0,
        2,
        0,
    )
    # Town A's staff change the masked sheet: the organisation changes, the phone stays the full number.
    masked[0]["所在单位及职务"] = "会长 李某"
    since = _last_seq()
    plan = imports.commit("outreach-contacts", _fill("outreach-contacts", masked, staff), "改.xlsx", staff)
    assert _counts(plan) == (0, 1, 1, 0)
    chamber.refresh_from_db()
    assert (chamber.organisation, chamber.phone, chamber.version) == ("会长 李某", "13912346130", 2)
    (change,) = AuditEvent.objects.filter(seq__gt=since)
    assert (change.action, change.reason, change.after) == (
        "update",
        "导入第 2 行",
        {"organisation": "会长 李某"},
    )
    # Town B's staff may not change town A's contact, nor register one with a masked phone.
    masked[0]["所在单位及职务"] = "会长 赵某"
    new = {"类别": "商会", "名称或姓名": "福建商会", "联系电话": "139****0000", "联系单位": "乙镇"}
    plan = imports.check(
        "outreach-contacts", _fill("outreach-contacts", [masked[0], new], other), "乙.xlsx", other
    )
    assert _errors(plan) == {
        (2, "名称或姓名"): "您无权修改该记录：只有登记单位（或其上级）的工作人员和县统筹协调人员可以修改",
        (3, "联系电话"): "是遮蔽后的号码，新登记的联络对象请填写完整的电话号码",
    }
    assert audit.verify().ok


def _setup(county: Any) -> tuple[Contact, Any]:
    chamber = services.contact_create(SYSTEM, kind="chamber", name="浙江商会", keeper_unit=county.bureau)
    project = make_project(county, county.staff_a, name="甲镇新材料项目")
    return chamber, project


def test_trips_visits_and_events_go_round_and_a_change_is_audited(county: Any) -> None:
    chamber, project = _setup(county)
    staff = principal_for(county.staff_a)
    start = TODAY - dt.timedelta(days=20)
    trips = [
        {
            "组织单位": "甲镇",
            "出发日期": start,
            "返回日期": start + dt.timedelta(days=3),
            "目的区域": "长三角",
            "目的地": "杭州",
            "主要任务": "拜访浙江商会",
            "带队领导": "leader",
            "成员": "staff_a",
            "会见的联络对象": "浙江商会",
            "对接的企业": "杭州某集团\n宁波某公司",
            "费用": 1.5,
        },
        {
            "组织单位": "甲镇",
            "出发日期": start,
            "返回日期": start,
            "目的区域": "成渝",
            "目的地": "成都",
            "主要任务": "对接",
        },
    ]
    visits = [
        {
            "接待单位": "甲镇",
            "来访日期": TODAY - dt.timedelta(days=5),
            "来访企业": "杭州某集团",
            "来访人员": "董事长一行 5 人",
            "接待人员": "staff_a",
            "陪同县领导": "leader",
            "引荐的联络对象": "浙江商会",
            "所属项目编号": project.pk,
        }
    ]
    events = [
        {
            "活动名称": "花街节招商推介会",
            "日期": TODAY,
            "活动类型": "推介会",
            "主办单位": "甲镇",
            "地点": "县会展中心",
        }
    ]
    for kind, rows in (("outreach-trips", trips), ("outreach-visits", visits), ("outreach-events", events)):
        data = _fill(kind, rows, staff)
        assert _counts(imports.check(kind, data, "表.xlsx", staff)) == (len(rows), 0, 0, 0), kind
        since = _last_seq()
        imports.commit(kind, data, "表.xlsx", staff)
        _one_event_a_row(since, len(rows))
        _round_trip(kind, staff, len(rows))
    trip = Trip.objects.get(destination="杭州")
    assert (trip.unit, trip.county, trip.leader, trip.cost, trip.region) == (
        county.town_a,
        county.county,
        county.leader,
        Decimal("1.5"),
        "yangtze",
    )
    assert list(trip.members.all()) == [county.staff_a] and list(trip.contacts.all()) == [chamber]
    assert trip.companies_met == "杭州某集团\n宁波某公司"
    visit = InvestorVisit.objects.get()
    assert (visit.contact, visit.project, visit.leader, list(visit.hosts.all())) == (
        chamber,
        project,
        county.leader,
        [county.staff_a],
    )
    assert Event.objects.get().kind == "expo"

    rows = _rows(imports.export("outreach-trips", staff))
    by_place = {r["目的地"]: r for r in rows}
    by_place["杭州"]["成效"] = "达成投资意向 1 个"
    by_place["成都"]["成员"] = "staff_a"
    since = _last_seq()
    plan = imports.commit("outreach-trips", _fill("outreach-trips", rows, staff), "改.xlsx", staff)
    assert _counts(plan) == (0, 2, 0, 0)
    trip.refresh_from_db()
    assert (trip.summary, trip.version) == ("达成投资意向 1 个", 2)
    assert list(Trip.objects.get(destination="成都").members.all()) == [county.staff_a]
    changes = {(c.reason, c.action, str(c.after)) for c in AuditEvent.objects.filter(seq__gt=since)}
    assert changes == {  # the newest first: 成都 (row 2), then 杭州
        ("导入第 2 行", "update", "{'members': ['staff_a']}"),
        ("导入第 3 行", "update", "{'summary': '达成投资意向 1 个'}"),
    }


def test_bad_rows_are_named_in_chinese_and_nothing_is_written(county: Any) -> None:
    _setup(county)
    staff = principal_for(county.staff_a)
    before = _last_seq()
    start = TODAY - dt.timedelta(days=10)
    base = {
        "组织单位": "甲镇",
        "目的区域": "长三角",
        "主要任务": "对接",
        "出发日期": start,
        "返回日期": start,
    }
    bad_trips = [
        base | {"目的地": "甲", "返回日期": start - dt.timedelta(days=1)},
        base | {"目的地": "乙", "返回日期": start + dt.timedelta(days=61), "带队领导": "不存在的人"},
        base | {"目的地": "丙", "费用": 2000},
        base | {"目的地": "丁", "成员": "不存在的人", "会见的联络对象": "没有的商会"},
        base | {"目的地": "戊", "目的区域": "火星", "出发日期": TODAY + dt.timedelta(days=200)},
        base | {"目的地": None},
    ]
    found = _errors(
        imports.commit("outreach-trips", _fill("outreach-trips", bad_trips, staff), "坏.xlsx", staff)
    )
    assert found[(2, "返回日期")] == f"不能早于出发日期（{start:%Y-%m-%d}）"
    assert found[(3, "返回日期")] == "一次外出不超过 60 天，请检查"
    assert found[(4, "费用")] == "应在 0 至 1000 万元之间，请检查单位"
    assert found[(3, "带队领导")] == "“不存在的人”不是测试县的县级领导（可填名称或用户名）"
    assert found[(5, "成员")] == "“不存在的人”不是测试县各单位的工作人员（可填名称或用户名）"
    assert found[(5, "会见的联络对象")] == "测试县没有名为“没有的商会”的联络对象，请先登记或导入联络对象"
    assert found[(6, "目的区域")].startswith("“火星”不在可选项中")
    assert found[(7, "目的地")] == "必填"

    bad_visits = [
        {"接待单位": "甲镇", "来访日期": TODAY + dt.timedelta(days=1), "来访企业": "甲", "来访人员": "甲"},
        {"接待单位": "甲镇", "来访日期": TODAY, "来访企业": "乙", "来访人员": "乙", "所属项目编号": 99999},
    ]
    found = _errors(
        imports.commit("outreach-visits", _fill("outreach-visits", bad_visits, staff), "坏.xlsx", staff)
    )
    assert found == {
        (2, "来访日期"): "不能晚于今天",
        (3, "所属项目编号"): "没有编号为 99999 的项目，或该项目不在您的查看范围内",
    }
    bad_contacts = [
        {"类别": "乡友企业家", "名称或姓名": "李四", "联系单位": "甲镇"},
        {"类别": "商会", "名称或姓名": "福建商会", "联系单位": "甲镇", "联系电话": "电话号码"},
        {"类别": "同学", "名称或姓名": "王五", "联系单位": "甲镇"},
    ]
    data = _fill("outreach-contacts", bad_contacts, staff)
    found = _errors(imports.commit("outreach-contacts", data, "坏.xlsx", staff))
    assert found[(2, "家乡")] == "乡友企业家须写明家乡（乡镇）"
    assert found[(3, "联系电话")].startswith("只能填写数字")
    assert found[(4, "类别")].startswith("“同学”不在可选项中")
    bad_events = [
        {"活动名称": "推介会", "日期": TODAY, "活动类型": "联欢会", "主办单位": "甲镇", "地点": "县城"}
    ]
    found = _errors(
        imports.commit("outreach-events", _fill("outreach-events", bad_events, staff), "坏.xlsx", staff)
    )
    assert found[(2, "活动类型")].startswith("“联欢会”不在可选项中")
    assert _last_seq() == before  # no row of any file was written
    assert not Trip.objects.exists() and not InvestorVisit.objects.exists() and not Event.objects.exists()
    assert Contact.objects.count() == 1


def test_another_county_s_unit_is_refused_and_its_records_stay_out(county: Any) -> None:
    _setup(county)
    other = UnitFactory(name="乙县", kind=UnitKindFactory(code="county"))
    far = UnitFactory(name="乙县城关镇", kind=UnitKindFactory(code="town"), parent=other)
    outsider = UserFactory(username="outsider", display_name="乙县人员")
    MembershipFactory(user=outsider, unit=far, role=Role.UNIT_STAFF)
    theirs = services.contact_create(
        SYSTEM, kind="chamber", name="乙县商会", keeper_unit=far, phone="13900000000"
    )
    services.event_create(SYSTEM, unit=far, kind="expo", name="乙县推介会", on=TODAY, place="乙县")
    staff = principal_for(county.staff_a)
    rows = [
        {"类别": "商会", "名称或姓名": "越权商会", "联系单位": "乙县城关镇"},
        {"类别": "商会", "名称或姓名": "乙县商会", "联系单位": "乙县城关镇", "联系电话": "13911111111"},
    ]
    plan = imports.check("outreach-contacts", _fill("outreach-contacts", rows, staff), "越权.xlsx", staff)
    assert _errors(plan) == {
        (2, "联系单位"): "该单位不在您的职责范围内",
        (3, "联系单位"): "该单位不在您的职责范围内",
    }
    start = TODAY - dt.timedelta(days=3)
    trip = {
        "组织单位": "乙县城关镇",
        "出发日期": start,
        "返回日期": start,
        "目的区域": "长三角",
        "目的地": "杭州",
        "主要任务": "对接",
    }
    mine = trip | {"组织单位": "甲镇", "会见的联络对象": "乙县商会", "成员": "outsider"}
    plan = imports.check("outreach-trips", _fill("outreach-trips", [trip, mine], staff), "越权.xlsx", staff)
    assert _errors(plan) == {
        (2, "组织单位"): "该单位不在您的职责范围内",
        (3, "成员"): "“outsider”不是测试县各单位的工作人员（可填名称或用户名）",
        (3, "会见的联络对象"): "测试县没有名为“乙县商会”的联络对象，请先登记或导入联络对象",
    }
    # Town A's staff export only their county's records; another county's staff see only theirs.
    assert [r["名称或姓名"] for r in _rows(imports.export("outreach-contacts", staff))] == ["浙江商会"]
    assert [r["活动名称"] for r in _rows(imports.export("outreach-events", staff))] == []
    theirs_export = _rows(imports.export("outreach-contacts", principal_for(outsider)))
    assert [(r["名称或姓名"], r["联系电话"]) for r in theirs_export] == [("乙县商会", "13900000000")]
    theirs.refresh_from_db()
    assert theirs.phone == "13900000000"
    # Those who read but do not write business records import nothing.
    with pytest.raises(PermissionDenied):
        imports.check(
            "outreach-events", _fill("outreach-events", [], staff), "x.xlsx", principal_for(county.inspector)
        )


def test_the_import_page_lists_the_outreach_kinds(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    page = client.get("/enterprises/import/").content.decode()
    for label in ("招商联络对象", "外出招商", "来访考察", "招商活动"):
        assert f"{label}模板.xlsx" in page
    for kind in KINDS:
        assert client.get(f"/enterprises/templates/{kind}.xlsx").status_code == 200
