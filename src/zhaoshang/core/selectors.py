from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhaoshang.core import audit, audit_display
from zhaoshang.core.models import AuditEvent, Job, Notification


def audit_events(filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The audit log as inspectors filter it. The log is not scoped: only global roles may open it."""
    events = AuditEvent.objects.order_by("-seq")
    if q := filters.get("q"):
        events = events.filter(Q(target_repr__icontains=q) | Q(actor_repr__icontains=q) | Q(target_id=q))
    if action := filters.get("action"):
        events = events.filter(action=action)
    if target_type := filters.get("target_type"):
        # A moved record type finds its events from before the move too.
        events = events.filter(target_type__in=audit.labels_of(audit.current_label(target_type)))
    tz = timezone.get_current_timezone()
    if date_from := filters.get("date_from"):
        events = events.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to := filters.get("date_to"):
        events = events.filter(
            at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    return events


def audit_target_types() -> list[tuple[str, str]]:
    """(app.model, its Chinese name) for the kinds of record the log holds, by name."""
    codes = AuditEvent.objects.order_by().values_list("target_type", flat=True).distinct()[:100]
    kinds = [(code, audit_display.record_kind(code)) for code in codes if code]
    return sorted(((code, name) for code, name in kinds if name), key=lambda kind: kind[1])


def inbox(user_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user_id).order_by("-created_at", "-id")


def jobs_of(user_id: int) -> QuerySet[Job]:
    return Job.objects.filter(created_by_id=user_id).order_by("-created_at", "-id")
