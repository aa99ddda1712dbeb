"""Reads of projects through the scoping mechanism, with what the alerts need in the same query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from zhaoshang.core.scoping import Principal
from zhaoshang.projects.alerts import ACTIVE, Alert, alerts_for
from zhaoshang.projects.lifecycle import Stage
from zhaoshang.projects.models import FollowUp, Project


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


def alerts(project: Project, today: dt.date | None = None) -> list[Alert]:
    return alerts_for(
        Stage(project.stage),
        project.stage_since,
        getattr(project, "last_follow_up", None),
        getattr(project, "next_date", None),
        timezone.localtime(project.created_at).date(),
        today or timezone.localdate(),
    )


def alerting(
    principal: Principal, *, mine: bool = False, limit: int = 200
) -> list[tuple[Project, list[Alert]]]:
    """Active projects in scope that need attention, most overdue first."""
    rows = projects(principal, {"mine": mine}).filter(stage__in=[s.value for s in ACTIVE])
    found = [(p, a) for p in rows[:5000] if (a := alerts(p))]
    found.sort(key=lambda pa: -max(x.days for x in pa[1]))
    return found[:limit]


def project_for_page(principal: Principal, pk: int) -> Project:
    return with_alert_dates(Project.objects.visible_to(principal).for_list()).get_visible_or_404(
        principal, pk=pk
    )  # type: ignore[return-value]
