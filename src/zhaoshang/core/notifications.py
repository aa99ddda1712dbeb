"""In-app notifications, and the senders that carry them elsewhere (SMS, 钉钉/浙政钉, 企业微信).

A notification with the same `dedupe_key` reaches a person at most once a day, however many
times the rule that raises it fires. A person who turned a kind off (`core.notice_kinds`) does not
receive it; `notify_many` stores a sending to many people in bulk (a province's enterprises).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.module_loading import import_string

from zhaoshang.core import notice_kinds
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


def _send(rows: Iterable[Notification]) -> None:
    channels = senders()
    for row in rows:
        for sender in channels:
            try:
                sender.send(row)
            except Exception:  # one failing channel must not stop the others
                name = getattr(sender, "name", type(sender).__name__)
                log.exception("sender %s failed for notification %s", name, row.pk)


def _dispatch(notification_ids: list[int]) -> None:
    _send(Notification.objects.filter(pk__in=notification_ids).order_by("pk"))


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
    wanted = dict.fromkeys(recipient_ids)
    off = notice_kinds.muted(kind) if wanted else set()
    for recipient_id in (r for r in wanted if r not in off):
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


@dataclass(frozen=True)
class Draft:
    """One person's copy of a sending stored by `notify_many`."""

    recipient_id: int
    title: str
    body: str = ""
    link: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)


def _chunks(rows: Iterable[Draft], size: int) -> Iterator[list[Draft]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def notify_many(
    drafts: Iterable[Draft], *, kind: str, dedupe_key: str, day: dt.date | None = None, chunk: int = 2000
) -> int:
    """Store many people's copies in bulk, each at most once a day under `dedupe_key`; returns how
    many were new. One query per `chunk` rows (plus one for who turned the kind off); the senders
    get the new rows after the commit, read back in chunks."""
    day = day or timezone.localdate()
    off = notice_kinds.muted(kind)
    key = dedupe_key[:200]
    sent = Notification.objects.filter(dedupe_key=key, day=day)
    high_water = sent.order_by("-pk").values_list("pk", flat=True).first() or 0
    seen: set[int] = set()
    for batch in _chunks(drafts, chunk):
        rows = []
        for d in batch:
            if d.recipient_id in off or d.recipient_id in seen:
                continue
            seen.add(d.recipient_id)
            rows.append(
                Notification(
                    recipient_id=d.recipient_id,
                    kind=kind,
                    title=d.title[:200],
                    body=d.body,
                    link=d.link[:300],
                    items=d.items,
                    dedupe_key=key,
                    day=day,
                )
            )
        Notification.objects.bulk_create(rows, ignore_conflicts=True)  # already told today: skipped
    new = sent.filter(pk__gt=high_water).aggregate(count=Count("pk"), last=Max("pk"))
    if new["count"]:
        # Exactly this call's rows (ids after the high water up to its last), read back in chunks.
        fresh = sent.filter(pk__gt=high_water, pk__lte=new["last"]).order_by("pk")
        transaction.on_commit(lambda: _send(fresh.iterator(chunk_size=2000)))
    return int(new["count"])


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
