"""The lists of trips, visits and events: each a FilterSet over what the reader sees, and the export
of exactly its rows (the same filters, the same order)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import django_filters
from django import forms
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from zhaoshang.core.exports import export_sheet
from zhaoshang.core.lists import ScopedChoice, ScopedFilterSet, Sort
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import Column
from zhaoshang.outreach.models import EVENT_KINDS, REGIONS, Event, InvestorVisit, Trip
from zhaoshang.outreach.selectors import activities as selectors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _plausible_year(day: dt.date) -> None:
    if not 2000 <= day.year <= 2100:
        raise forms.ValidationError("年份应在 2000 至 2100 之间。")


def _date(label: str, method: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(label=label, method=method, widget=DATE, validators=[_plausible_year])


def _name(user: Any) -> str | None:
    return str(user) if user is not None else None


def _search(rows: QuerySet[Any], value: str, fields: tuple[str, ...]) -> QuerySet[Any]:
    text = value.strip()
    if not text:
        return rows
    condition = Q()
    for f in fields:
        condition |= Q(**{f"{f}__icontains": text})
    return rows.filter(condition)


# --- 外出招商 -----------------------------------------------------------------------------------------


class TripListing(ScopedFilterSet):
    q = django_filters.CharFilter(label="目的地、任务或企业", method="search")
    unit = ScopedChoice(
        label="组织单位", scope=lambda p: selectors.units_named_on(p, Trip), empty_label="全部单位"
    )
    leader = ScopedChoice(
        label="带队领导", scope=lambda p: selectors.leaders_named_on(p, Trip), empty_label="全部领导"
    )
    region = django_filters.ChoiceFilter(label="目的区域", choices=REGIONS, empty_label="全部区域")
    date_from = _date("起始日期", "since")
    date_to = _date("截止日期", "until")
    sort = Sort(fields={"starts_on": "出发日期"}, default="-starts_on")

    class Meta:
        model = Trip
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[Trip]:
        seen = selectors.visible_projects(principal).values("pk")
        rows: QuerySet[Trip] = Trip.objects.visible_to(principal)
        return rows.select_related("unit", "leader").annotate(
            lead_count=Count("leads", filter=Q(leads__project__in=seen))
        )

    def search(self, rows: QuerySet[Trip], name: str, value: str) -> QuerySet[Trip]:
        return _search(rows, value, ("destination", "purpose", "companies_met", "summary"))

    def since(self, rows: QuerySet[Trip], name: str, value: dt.date) -> QuerySet[Trip]:
        return rows.filter(ends_on__gte=value)  # under way on or after the day

    def until(self, rows: QuerySet[Trip], name: str, value: dt.date) -> QuerySet[Trip]:
        return rows.filter(starts_on__lte=value)


TRIP_SHEET = export_sheet(
    "外出招商",
    [
        Column("starts_on", "出发日期", kind="date"),
        Column("ends_on", "返回日期", kind="date"),
        Column("days", "天数", kind="int"),
        Column("region", "目的区域", kind="choice", choices=REGIONS),
        Column("destination", "目的地", width=16),
        Column("unit", "组织单位", width=18),
        Column("leader", "带队领导", width=12),
        Column("members", "成员", width=24),
        Column("purpose", "主要任务", width=30),
        Column("contacts", "会见的联络对象", width=30),
        Column("companies", "对接的企业", width=30),
        Column("cost", "费用", kind="decimal", unit="万元"),
        Column("leads", "带来的项目线索", kind="int"),
        Column("summary", "成效", width=40),
    ],
)


def trip_records(rows: QuerySet[Trip]) -> Iterator[dict[str, Any]]:
    for t in rows.prefetch_related("members", "contacts").iterator(chunk_size=2000):
        yield {
            "starts_on": t.starts_on,
            "ends_on": t.ends_on,
            "days": (t.ends_on - t.starts_on).days + 1,
            "region": t.region,
            "destination": t.destination,
            "unit": t.unit.name,
            "leader": _name(t.leader),
            "members": "、".join(str(m) for m in t.members.all()) or None,
            "purpose": t.purpose,
            "contacts": "、".join(c.name for c in t.contacts.all()) or None,
            "companies": "、".join(x.strip() for x in t.companies_met.splitlines() if x.strip()) or None,
            "cost": t.cost,
            "leads": t.lead_count,  # type: ignore[attr-defined]
            "summary": t.summary or None,
        }


# --- 来访考察 -----------------------------------------------------------------------------------------


class VisitListing(ScopedFilterSet):
    q = django_filters.CharFilter(label="企业、人员或地点", method="search")
    unit = ScopedChoice(
        label="接待单位", scope=lambda p: selectors.units_named_on(p, InvestorVisit), empty_label="全部单位"
    )
    leader = ScopedChoice(
        label="陪同县领导",
        scope=lambda p: selectors.leaders_named_on(p, InvestorVisit),
        empty_label="全部领导",
    )
    date_from = _date("起始日期", "since")
    date_to = _date("截止日期", "until")
    sort = Sort(fields={"on": "来访日期"}, default="-on")

    class Meta:
        model = InvestorVisit
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[InvestorVisit]:
        rows: QuerySet[InvestorVisit] = InvestorVisit.objects.visible_to(principal)
        seen = selectors.visible_projects(principal).filter(pk=OuterRef("project_id"))
        return rows.select_related("unit", "leader", "contact", "project").annotate(project_seen=Exists(seen))

    def search(self, rows: QuerySet[InvestorVisit], name: str, value: str) -> QuerySet[InvestorVisit]:
        return _search(rows, value, ("company", "visitors", "sites", "outcome"))

    def since(self, rows: QuerySet[InvestorVisit], name: str, value: dt.date) -> QuerySet[InvestorVisit]:
        return rows.filter(on__gte=value)

    def until(self, rows: QuerySet[InvestorVisit], name: str, value: dt.date) -> QuerySet[InvestorVisit]:
        return rows.filter(on__lte=value)


VISIT_SHEET = export_sheet(
    "来访考察",
    [
        Column("on", "来访日期", kind="date"),
        Column("company", "来访企业", width=28),
        Column("visitors", "来访人员", width=20),
        Column("sites", "考察地点", width=24),
        Column("unit", "接待单位", width=18),
        Column("leader", "陪同县领导", width=12),
        Column("hosts", "接待人员", width=20),
        Column("contact", "引荐的联络对象", width=20),
        Column("project", "所属项目", width=28),
        Column("outcome", "成果", width=40),
    ],
)


NOT_SEEN = "（不在您的查看范围）"


def visit_records(rows: QuerySet[InvestorVisit]) -> Iterator[dict[str, Any]]:
    """The project's name only where the reader sees the project, as on the page."""
    for v in rows.prefetch_related("hosts").iterator(chunk_size=2000):
        project = None
        if v.project is not None:
            project = v.project.name if v.project_seen else NOT_SEEN  # type: ignore[attr-defined]
        yield {
            "on": v.on,
            "company": v.company,
            "visitors": v.visitors,
            "sites": v.sites or None,
            "unit": v.unit.name,
            "leader": _name(v.leader),
            "hosts": "、".join(str(h) for h in v.hosts.all()) or None,
            "contact": v.contact.name if v.contact else None,
            "project": project,
            "outcome": v.outcome or None,
        }


# --- 推介会、签约仪式、集中开工/竣工仪式 ---------------------------------------------------------------


class EventListing(ScopedFilterSet):
    q = django_filters.CharFilter(label="名称或地点", method="search")
    kind = django_filters.ChoiceFilter(label="活动类型", choices=EVENT_KINDS, empty_label="全部类型")
    unit = ScopedChoice(
        label="主办单位", scope=lambda p: selectors.units_named_on(p, Event), empty_label="全部单位"
    )
    date_from = _date("起始日期", "since")
    date_to = _date("截止日期", "until")
    sort = Sort(fields={"on": "日期"}, default="-on")

    class Meta:
        model = Event
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[Event]:
        rows: QuerySet[Event] = Event.objects.visible_to(principal)
        seen = selectors.visible_projects(principal).values("pk")
        return rows.select_related("unit").annotate(
            project_count=Count("projects", filter=Q(projects__project__in=seen))
        )

    def search(self, rows: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        return _search(rows, value, ("name", "place", "note"))

    def since(self, rows: QuerySet[Event], name: str, value: dt.date) -> QuerySet[Event]:
        return rows.filter(on__gte=value)

    def until(self, rows: QuerySet[Event], name: str, value: dt.date) -> QuerySet[Event]:
        return rows.filter(on__lte=value)


EVENT_SHEET = export_sheet(
    "招商活动",
    [
        Column("on", "日期", kind="date"),
        Column("kind", "活动类型", kind="choice", choices=EVENT_KINDS),
        Column("name", "活动名称", width=30),
        Column("place", "地点", width=20),
        Column("unit", "主办单位", width=18),
        Column("projects", "活动项目", kind="int"),
        Column("note", "情况", width=40),
    ],
)


def event_records(rows: QuerySet[Event]) -> Iterator[dict[str, Any]]:
    for e in rows.iterator(chunk_size=2000):
        yield {
            "on": e.on,
            "kind": e.kind,
            "name": e.name,
            "place": e.place,
            "unit": e.unit.name,
            "projects": e.project_count,  # type: ignore[attr-defined]
            "note": e.note or None,
        }
