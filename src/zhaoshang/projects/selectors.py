"""Reads of projects through the scoping mechanism, with what the alerts need in the same query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from zhaoshang.core.scoping import Principal
from zhaoshang.org.models import Unit
from zhaoshang.projects import deadlines, rulebooks
from zhaoshang.projects.alerts import ACTIVE, Alert, Rules, alerts_for
from zhaoshang.projects.lifecycle import Stage
from zhaoshang.projects.models import FollowUp, FundArrival, Project
from zhaoshang.projects.rulebooks import RuleIndex, tracking_index


def with_alert_dates(rows: QuerySet[Project]) -> QuerySet[Project]:
    latest = FollowUp.objects.filter(project=OuterRef("pk")).order_by("-on", "-created_at")
    return rows.annotate(
        last_follow_up=Max("follow_ups__on"), next_date=Subquery(latest.values("next_date")[:1])
    )


def projects(principal: Principal, filters: dict[str, Any] | None = None) -> QuerySet[Project]:
    rows = with_alert_dates(Project.objects.visible_to(principal).for_list()).order_by("-created_at", "-pk")
    filters = filters or {}
    if q := (filters.get("q") or "").strip():
        rows = rows.filter(Q(name__icontains=q) | Q(investor_name__icontains=q))
    for name in ("stage", "channel", "investor_rank", "town", "responsible_leader"):
        if value := filters.get(name):
            rows = rows.filter(**{name: value})
    if filters.get("mine") and principal.user_id:
        rows = rows.filter(
            Q(responsible_leader_id=principal.user_id) | Q(task_force__id=principal.user_id)
        ).distinct()
    return rows


def alerts(project: Project, today: dt.date | None = None, rules: Rules | None = None) -> list[Alert]:
    """A list passes `rules` from one `tracking_index`; alone, the project's rulebook is read."""
    return alerts_for(
        Stage(project.stage),
        project.stage_since,
        getattr(project, "last_follow_up", None),
        getattr(project, "next_date", None),
        timezone.localtime(project.created_at).date(),
        today or timezone.localdate(),
        rules or rulebooks.tracking_rules(rulebooks.project_unit(project)),
    )


def alerting(
    principal: Principal, *, mine: bool = False, limit: int = 200
) -> list[tuple[Project, list[Alert]]]:
    """Active projects in scope that need attention, most overdue first."""
    rows = projects(principal, {"mine": mine}).filter(stage__in=[s.value for s in ACTIVE])
    index = tracking_index(principal)
    found = [(p, a) for p in rows[:5000] if (a := alerts(p, rules=index.alert_rules(p)))]
    found.sort(key=lambda pa: -max(x.days for x in pa[1]))
    return found[:limit]


def project_for_page(principal: Principal, pk: int) -> Project:
    return with_alert_dates(Project.objects.visible_to(principal).for_list()).get_visible_or_404(
        principal, pk=pk
    )  # type: ignore[return-value]


def _arrivals(rows: list[Project]) -> dict[int, tuple[tuple[dt.date, Any], ...]]:
    """The dated ledger of every project the capital deadline may concern, in one query."""
    ids = [p.pk for p in rows if p.signed_on and p.registered_capital and p.funds_in_place]
    found: dict[int, list[tuple[dt.date, Any]]] = {}
    if ids:
        ledger = FundArrival.objects.filter(project_id__in=ids).values_list("project_id", "on", "amount")
        for project_id, on, amount in ledger:
            found.setdefault(project_id, []).append((on, amount))
    return {pk: tuple(items) for pk, items in found.items()}


def _facts(project: Project, arrivals: tuple[tuple[dt.date, Any], ...]) -> deadlines.ProjectFacts:
    return deadlines.ProjectFacts(
        stage=Stage(project.stage),
        signed_on=project.signed_on,
        start_date=project.start_date,
        moved_in_on=project.moved_in_on,
        promised_start=project.promised_start,
        registered_capital=project.registered_capital,
        funds_in_place=project.funds_in_place,
        arrivals=arrivals,
    )


def deadline_checks(project: Project, today: dt.date | None = None) -> list[deadlines.DeadlineCheck]:
    """The project's post-signing deadlines against its rulebook (for the project page)."""
    rules = rulebooks.resolve(rulebooks.project_unit(project), "tracking").rules()
    ledger = _arrivals([project]).get(project.pk, ())
    return deadlines.check(_facts(project, ledger), rules, today or timezone.localdate())


def deadline_lights(rows: list[Project], index: RuleIndex, today: dt.date | None = None) -> dict[int, str]:
    """The worst light of each listed project: one ledger query for the whole page."""
    today = today or timezone.localdate()
    ledgers = _arrivals(rows)
    return {
        p.pk: deadlines.worst(deadlines.check(_facts(p, ledgers.get(p.pk, ())), index.for_project(p), today))
        for p in rows
    }


def cohort_projects(principal: Principal, unit: Unit) -> QuerySet[Project]:
    """Signed projects in scope under the unit whose cohort rules are read."""
    under = Q(town__path__startswith=unit.path) | Q(park__path__startswith=unit.path)
    return (
        Project.objects.visible_to(principal)
        .for_list()
        .filter(under, signed_on__isnull=False)
        .order_by("signed_on", "pk")
    )
