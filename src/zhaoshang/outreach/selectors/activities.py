"""Reads of the activities side: the pickers the forms offer, what a trip brought and whom it took,
the projects an event is followed by "一项一项", the month calendar and the region view.

Trips, visits and events are read by the whole county (their scope's `covering`); the projects they
lead to are read as the reader may see projects: what lies outside is counted, never named."""

from __future__ import annotations

import calendar as calendar_module
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.urls import reverse

from zhaoshang.core.scoping import Principal
from zhaoshang.org.models import Membership, Unit, User
from zhaoshang.outreach.models import (
    REGIONS,
    Contact,
    Event,
    EventProject,
    InvestorVisit,
    ProjectOrigin,
    Trip,
)
from zhaoshang.projects.engines.lifecycle import Stage
from zhaoshang.projects.models import Project

# --- pickers ----------------------------------------------------------------------------------------


def visible_projects(principal: Principal) -> QuerySet[Project]:
    return Project.objects.visible_to(principal)


def pickable_projects(
    principal: Principal, county: Unit | None = None, keep: int | None = None
) -> QuerySet[Project]:
    """Projects a visit or an event may name: those one sees, not dropped (of the record's county);
    `keep`, the one the record names already, stays choosable."""
    live = ~Q(stage=Stage.DROPPED.value)
    rows = visible_projects(principal).filter(live | Q(pk=keep) if keep else live)
    if county is not None:
        rows = rows.filter(town__path__startswith=county.path)
    return rows.order_by("name", "pk")


def pickable_contacts(principal: Principal, keep: QuerySet[Contact] | None = None) -> QuerySet[Contact]:
    """The contacts one sees that are still kept up (and those the record already names)."""
    seen = Contact.objects.visible_to(principal)
    wanted = Q(pk__in=seen.filter(active=True).values("pk"))
    if keep is not None:
        wanted |= Q(pk__in=keep.values("pk"))
    return Contact.objects.filter(wanted).order_by("name", "pk")


def with_current(people: QuerySet[User], current: QuerySet[User] | None) -> QuerySet[User]:
    """A people picker that keeps the people a record already names."""
    if current is None:
        return people
    wanted = Q(pk__in=people.values("pk")) | Q(pk__in=current.values("pk"))
    return User.objects.filter(wanted).order_by("display_name", "pk")


def units_named_on(principal: Principal, model: Any) -> QuerySet[Unit]:
    """The units named on the trips (visits, events) one sees: a list's unit filter."""
    rows = model.objects.visible_to(principal)
    return Unit.objects.filter(pk__in=rows.values("unit_id")).order_by("path")


def leaders_named_on(principal: Principal, model: Any) -> QuerySet[User]:
    rows = model.objects.visible_to(principal).exclude(leader=None)
    return User.objects.filter(pk__in=rows.values("leader_id")).order_by("display_name", "pk")


def activity_units(principal: Principal) -> QuerySet[Unit]:
    """Units on any trip, visit or event one sees: the calendar's unit filter."""
    ids = Q()
    for model in (Trip, InvestorVisit, Event):
        ids |= Q(pk__in=model.objects.visible_to(principal).values("unit_id"))
    return Unit.objects.filter(ids).order_by("path")


def activity_leaders(principal: Principal) -> QuerySet[User]:
    ids = Q()
    for model in (Trip, InvestorVisit):
        ids |= Q(pk__in=model.objects.visible_to(principal).exclude(leader=None).values("leader_id"))
    return User.objects.filter(ids).order_by("display_name", "pk")


# --- a trip's page ----------------------------------------------------------------------------------


def members_with_units(trip: Trip) -> list[tuple[User, list[str]]]:
    """Each member with the units of the trip's county they work in."""
    members = list(trip.members.order_by("display_name", "pk"))
    units: dict[int, list[str]] = defaultdict(list)
    held = Membership.objects.filter(
        user__in=[m.pk for m in members], unit__path__startswith=trip.county.path
    ).select_related("unit")
    for m in held.order_by("unit__path"):
        if m.unit.name not in units[m.user_id]:
            units[m.user_id].append(m.unit.name)
    return [(m, units[m.pk]) for m in members]


@dataclass
class Leads:
    """The projects a trip (visit, event) brought: those the reader sees, and how many more there are."""

    projects: list[Project]
    hidden: int


def leads_of(principal: Principal, **source: Any) -> Leads:
    origins = ProjectOrigin.objects.filter(**source)
    shown = visible_projects(principal).filter(pk__in=origins.values("project_id"))
    projects = list(shown.select_related("town").order_by("-created_at", "-pk"))
    return Leads(projects=projects, hidden=origins.count() - len(projects))


# --- an event's page: each project signed, started or completed there, as it is today ---------------


@dataclass
class EventRows:
    rows: list[EventProject]
    hidden: int
    dropped: int


def event_rows(principal: Principal, event: Event) -> EventRows:
    every = EventProject.objects.filter(event=event)
    rows = list(
        every.filter(project__in=visible_projects(principal).values("pk"))
        .select_related("project", "project__town")
        .order_by("role", "project__name", "pk")
    )
    dropped = sum(1 for r in rows if r.role == "signed" and r.project.stage == Stage.DROPPED.value)
    return EventRows(rows=rows, hidden=every.count() - len(rows), dropped=dropped)


# --- the month calendar -----------------------------------------------------------------------------


@dataclass
class Day:
    on: dt.date
    in_month: bool
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, label, link)


def month_grid(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day the grid shows: whole weeks, Monday first, around the month."""
    last = month.replace(day=calendar_module.monthrange(month.year, month.month)[1])
    return month - dt.timedelta(days=month.weekday()), last + dt.timedelta(days=6 - last.weekday())


def calendar_weeks(
    principal: Principal, month: dt.date, *, unit: Unit | None = None, leader: User | None = None
) -> list[list[Day]]:
    """The month's weeks, each day with the trips under way, the visits received and the events held.
    By leader: the trips they led or joined and the visits they accompanied or received (events name
    no leader and are left out)."""
    first, last = month_grid(month)
    trips = Trip.objects.visible_to(principal).filter(starts_on__lte=last, ends_on__gte=first)
    visits = InvestorVisit.objects.visible_to(principal).filter(on__range=(first, last))
    events = Event.objects.visible_to(principal).filter(on__range=(first, last))
    if unit is not None:
        trips, visits, events = trips.filter(unit=unit), visits.filter(unit=unit), events.filter(unit=unit)
    if leader is not None:
        trips = trips.filter(
            Q(leader=leader) | Q(pk__in=Trip.members.through.objects.filter(user=leader).values("trip_id"))
        )
        visits = visits.filter(
            Q(leader=leader)
            | Q(pk__in=InvestorVisit.hosts.through.objects.filter(user=leader).values("investorvisit_id"))
        )
        events = events.none()
    days = {
        first + dt.timedelta(days=i): Day(
            first + dt.timedelta(days=i), (first + dt.timedelta(days=i)).month == month.month
        )
        for i in range((last - first).days + 1)
    }
    for t in trips.select_related("unit").order_by("starts_on", "pk"):
        on = max(t.starts_on, first)
        while on <= min(t.ends_on, last):
            days[on].items.append(
                ("trip", f"{t.unit.name}赴{t.destination}", reverse("outreach-trip", args=[t.pk]))
            )
            on += dt.timedelta(days=1)
    for v in visits.order_by("on", "pk"):
        days[v.on].items.append(("visit", f"{v.company}来访", reverse("outreach-visit", args=[v.pk])))
    for e in events.order_by("on", "pk"):
        days[e.on].items.append(("event", e.name, reverse("outreach-event", args=[e.pk])))
    ordered = [days[d] for d in sorted(days)]
    return [ordered[i : i + 7] for i in range(0, len(ordered), 7)]


# --- the region view --------------------------------------------------------------------------------


@dataclass
class RegionRow:
    code: str
    label: str
    trips: int = 0
    days: int = 0
    cost: Decimal = Decimal(0)
    contacts: int = 0
    leads: int = 0
    signed: int = 0
    contract: Decimal = Decimal(0)


def regions(principal: Principal, year: int) -> tuple[list[RegionRow], RegionRow]:
    """Per region, the trips that set out in the year: how many, days out, cost, the contacts met, the
    leads they brought and the projects signed from those leads (with their contract amount). Three
    grouped queries; the projects counted are those the reader sees."""
    trips = Trip.objects.visible_to(principal).filter(
        starts_on__gte=dt.date(year, 1, 1), starts_on__lt=dt.date(year + 1, 1, 1)
    )
    ids = trips.values("pk")
    rows = {code: RegionRow(code, str(label)) for code, label in REGIONS}
    span = ExpressionWrapper(F("ends_on") - F("starts_on"), output_field=DurationField())
    for r in trips.order_by().values("region").annotate(n=Count("pk"), cost=Sum("cost"), span=Sum(span)):
        row = rows[r["region"]]
        row.trips, row.cost = r["n"], r["cost"] or Decimal(0)
        row.days = (r["span"] or dt.timedelta()).days + r["n"]  # both the day out and the day back
    met = Trip.contacts.through.objects.filter(trip_id__in=ids)
    for r in met.order_by().values("trip__region").annotate(n=Count("contact_id", distinct=True)):
        rows[r["trip__region"]].contacts = r["n"]
    signed = Q(project__signed_on__isnull=False)
    origins = ProjectOrigin.objects.filter(
        trip_id__in=ids, project__in=visible_projects(principal).values("pk")
    )
    for r in (
        origins.order_by()
        .values("trip__region")
        .annotate(
            leads=Count("pk"),
            signed=Count("pk", filter=signed),
            contract=Sum("project__contract_amount", filter=signed),
        )
    ):
        row = rows[r["trip__region"]]
        row.leads, row.signed, row.contract = r["leads"], r["signed"], r["contract"] or Decimal(0)
    listed = list(rows.values())
    total = RegionRow("", "合计")
    for row in listed:
        for name in ("trips", "days", "cost", "leads", "signed", "contract"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    # A contact met in two regions is one contact.
    total.contacts = met.values("contact_id").distinct().count()
    return listed, total


def region_chart(rows: list[RegionRow]) -> dict[str, list[Any]]:
    """The region view's bar chart: categories and one list per series (amounts as plain numbers)."""
    return {
        "regions": [r.label for r in rows],
        "trips": [r.trips for r in rows],
        "leads": [r.leads for r in rows],
        "signed": [r.signed for r in rows],
        "contract": [float(round(r.contract, 2)) for r in rows],
    }


def first_trip_year(principal: Principal) -> int | None:
    first = (
        Trip.objects.visible_to(principal).order_by("starts_on").values_list("starts_on", flat=True).first()
    )
    return first.year if first else None
