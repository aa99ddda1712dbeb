from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhaoshang.core import audit_display
from zhaoshang.core.models import AuditEvent, Job, Notification


def audit_events(filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The audit log as inspectors filter it (the filters are declared once, in `core/filters.py`)."""
    from zhaoshang.core.filters import AuditFilter
    from zhaoshang.core.permissions import SYSTEM

    return AuditFilter(filters, principal=SYSTEM).qs


def audit_target_types() -> list[tuple[str, str]]:
    """(app.model, its Chinese name) for the kinds of record the log holds, by name."""
    codes = AuditEvent.objects.order_by().values_list("target_type", flat=True).distinct()[:100]
    kinds = [(code, audit_display.record_kind(code)) for code in codes if code]
    return sorted(((code, name) for code, name in kinds if name), key=lambda kind: kind[1])


def inbox(user_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user_id).order_by("-created_at", "-id")


def jobs_of(user_id: int) -> QuerySet[Job]:
    return Job.objects.filter(created_by_id=user_id).order_by("-created_at", "-id")
