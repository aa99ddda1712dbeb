"""外出招商 as a spreadsheet: one row a trip, found by its unit, its start and its destination.

The members are people holding a role in the county's units, the contacts met are the county's
registered contacts, each named in one cell and separated by “、”. The rules are the service's: a
return not before the start, no trip longer than 60 days, plans at most half a year ahead, a cost
between 0 and 1000 万元.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import Column, ParsedRows, Sheet
from zhaoshang.org.models import Unit, User
from zhaoshang.outreach.models import REGIONS, Contact, Trip
from zhaoshang.outreach.services.activities import LONGEST_TRIP_DAYS, MOST_COST
from zhaoshang.outreach.sheets.common import (
    Contacts,
    Context,
    Leaders,
    OutreachImporter,
    People,
    Problems,
    chosen,
    find_leader,
    find_people,
    names_in,
    plain,
)

TEXTS = ("purpose", "companies_met", "summary")


def _cost(value: Decimal) -> Decimal:
    if value > MOST_COST:
        raise ValueError(f"应在 0 至 {MOST_COST} 万元之间，请检查单位")
    return value


TRIP_SHEET = Sheet(
    kind="outreach-trips",
    title="外出招商",
    key=("unit", "starts_on", "destination"),
    columns=(
        Column("unit", "组织单位", kind="choice", required=True, width=20),
        Column("starts_on", "出发日期", kind="date", required=True, width=12),
        Column("ends_on", "返回日期", kind="date", required=True, width=12),
        Column("region", "目的区域", kind="choice", required=True, choices=REGIONS, width=12),
        Column("destination", "目的地", required=True, max_length=60),
        Column("purpose", "主要任务", required=True, max_length=200, width=30),
        Column("leader", "带队领导", max_length=80, help="本县县级领导的名称或用户名"),
        Column("members", "成员", max_length=1000, width=24, help="本县各单位工作人员，用“、”分隔"),
        Column(
            "contacts", "会见的联络对象", max_length=2000, width=30, help="本县登记的联络对象名称，用“、”分隔"
        ),
        Column("companies_met", "对接的企业", max_length=2000, width=30, help="每行一家"),
        Column("cost", "费用", kind="decimal", unit="万元", validate=_cost),
        Column("summary", "成效", max_length=2000, width=30),
    ),
    description=(
        "每行一次外出招商，按组织单位、出发日期和目的地匹配：已有的修改，没有的新增。"
        "已有记录的空白单元格表示不修改。"
    ),
)


class TripImporter(OutreachImporter):
    kind = "outreach-trips"
    label = "外出招商"
    sheet = TRIP_SHEET
    model = Trip
    unit_key = "unit"
    unit_keys = ("unit",)
    foreign_keys = ("unit", "leader")
    many = ("members", "contacts")
    key_header = "目的地"
    defaults = {"companies_met": "", "summary": ""}

    def prepare(self, ctx: Context, parsed: ParsedRows) -> None:
        counties = [c.pk for c in ctx.counties.values()]
        trips = Trip.objects.filter(county_id__in=counties)
        ctx.extra["leaders"] = Leaders(trips.values_list("leader_id", flat=True))
        ctx.extra["people"] = People(trips.values_list("members", flat=True))
        ctx.extra["contacts"] = Contacts(counties)

    def existing(self, ctx: Context) -> Iterable[tuple[tuple[Any, ...], Any]]:
        units = [u.pk for u in ctx.units.values()]
        rows = (
            Trip.objects.visible_to(ctx.by)
            .filter(unit_id__in=units)
            .select_related("unit")
            .prefetch_related("members", "contacts")
            .order_by("pk")
        )
        return (((t.unit_id, t.starts_on, plain(t.destination)), t) for t in rows)

    def key_of(self, values: dict[str, Any], county: Unit, unit: Unit) -> tuple[Any, ...]:
        return (unit.pk, values["starts_on"], values["destination"])

    def fields(
        self, ctx: Context, county: Unit, values: dict[str, Any], current: Any, problems: Problems
    ) -> dict[str, Any]:
        found: dict[str, Any] = {k: values.get(k) for k in (*TEXTS, "starts_on", "ends_on", "region", "cost")}
        found |= {"unit": chosen(values, "unit"), "destination": values["destination"]}
        found["leader"] = find_leader(
            ctx, county, values.get("leader"), current.leader_id if current else None, problems, "带队领导"
        )
        members = self.old(current, "members") if current else []
        found["members"] = find_people(ctx, county, values.get("members"), members, problems, "成员")
        met = []
        for name in names_in(values.get("contacts")):
            contact, why = ctx.extra["contacts"].find(name, county)
            if contact is None:
                problems.append(("会见的联络对象", why))
                break
            met.append(contact.pk)
        found["contacts"] = sorted(set(met))
        return found

    def check(self, ctx: Context, merged: dict[str, Any], current: Any, problems: Problems) -> None:
        start, end = merged.get("starts_on"), merged.get("ends_on")
        if start and end and end < start:
            problems.append(("返回日期", f"不能早于出发日期（{start:%Y-%m-%d}）"))
        elif start and end and (end - start).days > LONGEST_TRIP_DAYS:
            problems.append(("返回日期", f"一次外出不超过 {LONGEST_TRIP_DAYS} 天，请检查"))
        if start and start - ctx.today > dt.timedelta(days=180):
            problems.append(("出发日期", "只能登记半年以内的计划"))

    def labels(self, key: str, ids: set[int]) -> dict[int, str]:
        model = User if key == "members" else Contact
        return {x.pk: str(x) for x in model._default_manager.filter(pk__in=sorted(ids))}

    def export_records(self, by: Principal, filters: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        rows = list(
            Trip.objects.visible_to(by)
            .select_related("leader")
            .prefetch_related("members", "contacts")
            .order_by("county_id", "-starts_on", "-id")
        )
        leaders = Leaders(t.leader_id for t in rows)
        people = People(m.pk for t in rows for m in t.members.all())
        for t in rows:
            yield {
                **{k: getattr(t, k) or None for k in TEXTS},
                "unit": str(t.unit_id),
                "starts_on": t.starts_on,
                "ends_on": t.ends_on,
                "region": t.region,
                "destination": t.destination,
                "leader": leaders.label(t.leader),
                "members": "、".join(people.label(m.pk) for m in t.members.all()) or None,
                "contacts": "、".join(plain(c.name) for c in t.contacts.all()) or None,
                "cost": t.cost,
            }
