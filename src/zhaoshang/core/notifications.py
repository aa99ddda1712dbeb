"""In-app notifications, and the senders that carry them elsewhere (SMS, 钉钉/浙政钉, 企业微信).

A notification with the same `dedupe_key` reaches a person at most once a day, however many
times the rule that raises it fires.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from zhaoshang.core.models import Notification

log = logging.getLogger(__name__)


class Sender(Protocol):
    """Carries a stored notification to another channel. Called after the transaction commits."""

    name: str

    def send(self, notification: Notification) -> None: ...


class LoggingSender:
    """Writes each notification to the log; the default until an SMS or work-messaging sender is set up."""

    name = "log"

    def send(self, notification: Notification) -> None:
        log.info(
            "notification to user %s: [%s] %s",
            notification.recipient_id,
            notification.kind,
            notification.title,
        )


def senders() -> list[Sender]:
    return [import_string(path)() for path in settings.ZHAOSHANG_NOTIFICATION_SENDERS]


def _dispatch(notification_ids: list[int]) -> None:
    rows = list(Notification.objects.filter(pk__in=notification_ids))
    for sender in senders():
        for row in rows:
            try:
                sender.send(row)
            except Exception:  # one failing channel must not stop the others
                name = getattr(sender, "name", type(sender).__name__)
                log.exception("sender %s failed for notification %s", name, row.pk)


def notify(
    recipient_ids: Iterable[int],
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Store one notification per recipient, skipping those who already had this one today."""
    today = timezone.localdate()
    key = dedupe_key or f"{kind}:{title}"
    created: list[Notification] = []
    for recipient_id in dict.fromkeys(recipient_ids):
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient_id=recipient_id,
                        kind=kind,
                        title=title[:200],
                        body=body,
                        link=link,
                        dedupe_key=key[:200],
                        day=today,
                    )
                )
        except IntegrityError:
            continue  # already told today
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _dispatch(ids))
    return created


def unread_count(user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def mark_read(user_id: int, ids: Iterable[int] | None = None) -> int:
    """Marking as read is the recipient's own bookkeeping, not a business change: not audited."""
    rows = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


# Who holds a role (active accounts): org answers this in its AppConfig.ready, since core sits below it.
ROLE_HOLDERS: list[Callable[[str], Iterable[int]]] = []


def role_holders(role: str) -> list[int]:
    return list(dict.fromkeys(pk for provider in ROLE_HOLDERS for pk in provider(role)))


def notify_role(role: str, *, kind: str, title: str, body: str = "", link: str = "", dedupe_key: str) -> int:
    """Tell every holder of a role (the security administrators of probing, the auditors of a broken chain)."""
    return len(
        notify(role_holders(role), kind=kind, title=title, body=body, link=link, dedupe_key=dedupe_key)
    )
