"""Each role's home page: what that role works on, at a glance."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render

from zhaoshang.core import selectors as core_selectors
from zhaoshang.core.http import Request
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.roles import HOME_ORDER, Action, Role
from zhaoshang.dashboard import tiles
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.views_accounts import awaits_enterprise
from zhaoshang.org import selectors
from zhaoshang.org.models import Unit

REFUSALS = (AuditEvent.Action.ACCESS_DENIED, AuditEvent.Action.NOT_FOUND, AuditEvent.Action.REFUSALS_CAPPED)


def home(request: Request) -> HttpResponse:
    principal = request.principal
    role = next((r for r in HOME_ORDER if r in principal.roles), None)
    context: dict[str, Any] = {
        "role": role,
        "role_label": role.label if role else "尚未分配角色",
        "my_units": Unit.objects.filter(pk__in=principal.unit_ids).select_related("kind"),
        "notifications": core_selectors.inbox(request.user.pk).filter(read_at__isnull=True)[:5],
        "jobs": core_selectors.jobs_of(request.user.pk)[:5],
    }
    if principal.can(Action.VIEW_ORG):
        visible = Unit.objects.visible_to(principal).filter(is_active=True)
        context["unit_counts"] = (
            visible.values("kind__name").annotate(n=Count("id")).order_by("kind__sort_order")
        )
        context["leaders"] = selectors.leaders(principal)[:12]
    if role in (Role.LEADER, Role.COORDINATOR, Role.UNIT_STAFF):
        # Leaders and staff see the alerts of the projects they lead or serve; coordinators the county's.
        from zhaoshang.projects.selectors import alerting

        context["project_alerts"] = alerting(principal, mine=role != Role.COORDINATOR, limit=10)
        # The year's figures of what the role sees: the county for leaders and coordinators, a town's or
        # a park's own for their staff.
        context["figures"] = tiles.home_figures(principal)
    if principal.can(Action.VIEW_PIPELINE):
        # A chain's chief, deputies and lead unit see their chains' month at a glance.
        from zhaoshang.chains import overview

        context["chief_cards"] = overview.cards(principal)
    context["can_audit"] = principal.can(Action.VIEW_AUDIT)
    if context["can_audit"]:
        context["recent_events"] = AuditEvent.objects.order_by("-seq")[:8]
    context["awaits_enterprise"] = awaits_enterprise(principal)
    if principal.enterprise_ids:
        context["own_enterprises"] = Enterprise.objects.filter(pk__in=principal.enterprise_ids)
    if principal.can(Action.VIEW_SECURITY):
        # The security administrator watches failed log-ins and refusals, not the whole audit log.
        context["recent_failures"] = AuditEvent.objects.filter(
            action=AuditEvent.Action.LOGIN_FAILED
        ).order_by("-seq")[:5]
        context["recent_refusals"] = AuditEvent.objects.filter(action__in=REFUSALS).order_by("-seq")[:5]
    return render(request, "dashboard/home.html", context)
