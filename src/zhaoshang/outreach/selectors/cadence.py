"""周外出、月会商、季签约: each unit's and each leader's trips, visits and meetings per period against
the norms (data), the links speech 000 prescribes (each team and town with a chamber or
association), and the heads' self-reported share of time on recruiting.

A period is judged when it is over: on any day the page shows the last complete week, month or
quarter (and the current one so far, for information)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from zhaoshang.org.models import Leader, Unit
from zhaoshang.outreach.models import (
    ACTIVITIES,
    CHAMBERS,
    PERIODS,
    CadenceNorm,
    Contact,
    Encounter,
    InvestorVisit,
    RecruitingTime,
    Trip,
)

LEADER = "leader"


def period_of(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The week (Monday–Sunday), month or quarter containing `day`."""
    if kind == "week":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    months = 1 if kind == "month" else 3
    start = dt.date(day.year, months * ((day.month - 1) // months) + 1, 1)
    year, month = divmod(start.month - 1 + months, 12)
    return start, dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)


def last_complete(kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    start, _end = period_of(kind, today)
    return period_of(kind, start - dt.timedelta(days=1))


def period_label(kind: str, start: dt.date, end: dt.date) -> str:
    if kind == "week":
        return f"{start:%m月%d日}—{end:%m月%d日}"
    if kind == "month":
        return f"{start.year}年{start.month}月"
    return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"


@dataclass
class Shortfall:
    name: str
    kind_label: str
    activity: str
    period: str
    minimum: Decimal
    done: int | Decimal | None  # None: a share of time nobody reported
    current: int | Decimal | None
    judged: str

    @property
    def below(self) -> bool:
        return self.done is None or self.done < self.minimum


def _counts(activity: str, by: str, ids: list[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """How many of the activity each unit (`by="unit"`) or leader (`by="leader"`) did in the period."""
    rows: QuerySet[Any]
    if activity == "trip":
        rows = Trip.objects.filter(starts_on__lte=end, ends_on__gte=start)
        key = "unit_id" if by == "unit" else "leader_id"
    elif activity == "visit":
        rows = InvestorVisit.objects.filter(on__range=(start, end))
        key = "unit_id" if by == "unit" else "leader_id"
    else:
        rows = Encounter.objects.filter(on__range=(start, end), kind="meeting")
        key = "unit_id" if by == "unit" else "by_id"
    found = rows.filter(**{f"{key}__in": ids}).values(key).annotate(n=Count("pk"))
    return {r[key]: r["n"] for r in found}


def _shares(ids: list[int], start: dt.date, end: dt.date) -> dict[int, Decimal]:
    rows = (
        RecruitingTime.objects.filter(unit_id__in=ids, month__range=(start, end))
        .values("unit_id")
        .annotate(w=Sum("working_days"), r=Sum("recruiting_days"))
    )
    return {x["unit_id"]: (x["r"] * 100 / x["w"]).quantize(Decimal("0.1")) for x in rows if x["w"]}


def cadence(county: Unit, today: dt.date) -> list[Shortfall]:
    """Every unit and leader the county's norms apply to, with what they did in the last complete
    period and so far in this one; those below the norm first."""
    norms = [
        n for n in CadenceNorm.objects.filter(county=county).order_by("subject", "activity") if n.minimum > 0
    ]
    kinds = {n.subject for n in norms} - {LEADER}
    units = list(
        Unit.objects.filter(path__startswith=county.path, kind__code__in=kinds, is_active=True)
        .select_related("kind")
        .order_by("path")
    )
    by_kind: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        by_kind[u.kind.code].append(u)
    leaders = list(Leader.objects.filter(unit__path__startswith=county.path).select_related("user"))
    activities, periods = dict(ACTIVITIES), dict(PERIODS)
    rows = []
    for norm in norms:
        judged = last_complete(norm.period, today)
        current = period_of(norm.period, today)
        label = period_label(norm.period, *judged)
        if norm.subject == LEADER:
            subjects = [
                (lead.user_id, lead.user.display_name or lead.user.username, "县级领导") for lead in leaders
            ]
            by = "leader"
        else:
            subjects = [(u.pk, u.name, u.kind.name) for u in by_kind[norm.subject]]
            by = "unit"
        ids = [s[0] for s in subjects]
        done: dict[int, Decimal] | dict[int, int]
        now: dict[int, Decimal] | dict[int, int]
        if norm.activity == "time_share":
            done, now = _shares(ids, *judged), _shares(ids, *current)
        else:
            done, now = _counts(norm.activity, by, ids, *judged), _counts(norm.activity, by, ids, *current)
        missing = None if norm.activity == "time_share" else 0  # an unreported share is not 0 %
        for pk, name, kind_label in subjects:
            rows.append(
                Shortfall(
                    name=name,
                    kind_label=kind_label,
                    activity=activities[norm.activity],
                    period=periods[norm.period],
                    minimum=norm.minimum,
                    done=done.get(pk, missing),
                    current=now.get(pk, missing),
                    judged=label,
                )
            )
    rows.sort(key=lambda r: (not r.below, r.activity, r.kind_label, r.name))
    return rows


def units_without_chamber(county: Unit) -> list[Unit]:
    """The county's 招商小分队 and towns that keep or are linked to no chamber or association."""
    chambers = Contact.objects.filter(county=county, kind__in=CHAMBERS, active=True)
    linked = set(chambers.values_list("keeper_unit_id", flat=True)) | set(
        chambers.filter(linked_units__isnull=False).values_list("linked_units", flat=True)
    )
    return list(
        Unit.objects.filter(path__startswith=county.path, kind__code__in=("team", "town"), is_active=True)
        .exclude(pk__in=linked)
        .select_related("kind")
        .order_by("kind__sort_order", "path")
    )


def time_rows(county: Unit, month: dt.date) -> list[RecruitingTime]:
    return list(
        RecruitingTime.objects.filter(unit__path__startswith=county.path, month=month.replace(day=1))
        .select_related("unit", "person")
        .order_by("unit__path", "pk")
    )


__all__ = ["cadence", "last_complete", "period_of", "time_rows", "units_without_chamber"]
