"""Refusals in the audit log, without letting them flood it.

Every 403 and every 404 on a known route (a record outside the user's scope answers "not found")
is counted per user in fixed windows (`ZHAOSHANG_REFUSAL_WINDOW_MINUTES`). The first
`ZHAOSHANG_REFUSAL_AUDIT_LIMIT` of a window are audited one by one, the next one as a summary
event, the rest only counted; at `ZHAOSHANG_REFUSAL_ALERT_AT` the security administrators are told
once for that window (repeated probing).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhaoshang.core import audit, notifications
from zhaoshang.core.models import AuditEvent, RefusalWindow
from zhaoshang.core.roles import Role


def window_start(now: dt.datetime) -> dt.datetime:
    minutes = max(1, int(settings.ZHAOSHANG_REFUSAL_WINDOW_MINUTES))
    start = now.replace(second=0, microsecond=0)
    return start - dt.timedelta(minutes=start.minute % minutes) if minutes < 60 else start.replace(minute=0)


def _count(user_id: int, start: dt.datetime) -> int:
    with transaction.atomic():
        updated = RefusalWindow.objects.filter(user_id=user_id, window_start=start).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    RefusalWindow.objects.create(user_id=user_id, window_start=start, count=1)
            except IntegrityError:  # another request of the same user created it first
                RefusalWindow.objects.filter(user_id=user_id, window_start=start).update(count=F("count") + 1)
            # Old windows are of no further use: the audit log keeps what happened.
            RefusalWindow.objects.filter(window_start__lt=start - dt.timedelta(days=1)).delete()
        return RefusalWindow.objects.filter(user_id=user_id, window_start=start).values_list(
            "count", flat=True
        )[0]


def record_refusal(*, user_id: int, user_repr: str, status: int, path: str, detail: str = "") -> int:
    """Count one refusal; audit it while under the limit; alert on probing. Returns the window's count."""
    now = timezone.now()
    start = window_start(now)
    count = _count(user_id, start)
    limit = int(settings.ZHAOSHANG_REFUSAL_AUDIT_LIMIT)
    minutes = int(settings.ZHAOSHANG_REFUSAL_WINDOW_MINUTES)
    if count <= limit:
        action = AuditEvent.Action.ACCESS_DENIED if status == 403 else AuditEvent.Action.NOT_FOUND
        audit.record(action, target_type="page", target_repr=path[:200], reason=detail[:500])
    elif count == limit + 1:
        since = timezone.localtime(start).strftime("%H:%M")
        audit.record(
            AuditEvent.Action.REFUSALS_CAPPED,
            target_type="page",
            target_repr=path[:200],
            reason=f"自 {since} 起 {minutes} 分钟内已被拒绝 {count} 次：本时段其余拒绝只计数，不再逐条记录",
        )
    if count == int(settings.ZHAOSHANG_REFUSAL_ALERT_AT):
        notifications.notify_role(
            Role.SECURITY_ADMIN,
            kind="security",
            title=f"疑似越权探测：{user_repr} 在 {minutes} 分钟内被拒绝 {count} 次",
            body=f"最近一次：{path[:200]}。请在审计员协助下核查该账号的操作。",
            link=f"/org/users/{user_id}/",
            dedupe_key=f"probing:{user_id}:{start.isoformat()}",
        )
    return count
