"""Log-in throttling with a limit of its own for each lockout parameter (等保 身份鉴别 b).

django-axes counts failures for each entry of AXES_LOCKOUT_PARAMETERS (one account at one address,
one account anywhere, one address for any account) but compares them all with one
AXES_FAILURE_LIMIT. `LockoutHandler` scales each count by its own limit from
ZHAOSHANG_LOCKOUT_LIMITS onto that one limit, so "15 failures from one address" and "5 failures
of one account at one address" both reach it exactly when they should.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

KIND_LABELS = {
    "username+ip_address": "账号在同一地址",
    "username": "账号（所有地址）",
    "ip_address": "地址（所有账号）",
}


def _key(parameter: str | Sequence[str]) -> str:
    return parameter if isinstance(parameter, str) else "+".join(parameter)


def limit_for(key: str) -> int:
    return int(settings.ZHAOSHANG_LOCKOUT_LIMITS.get(key, settings.AXES_FAILURE_LIMIT))


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        scale = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            # failures * scale // limit reaches scale exactly when failures reaches limit.
            worst = max(worst, failures * scale // limit_for(_key(parameter)))
        return worst

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """A correct password clears that account's failures only, not those of the other
        accounts tried from the same address: otherwise a sprayer holding one account of their
        own could log in with it now and then to wipe the address's count."""
        username = (credentials or {}).get("username") or getattr(request, "user", None)
        if not isinstance(username, str):
            username = getattr(username, "username", None)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


@dataclass(frozen=True)
class Lock:
    kind: str
    username: str | None
    ip_address: str | None
    failures: int
    last_at: dt.datetime

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def until(self) -> dt.datetime:
        return self.last_at + settings.AXES_COOLOFF_TIME


def _recent() -> QuerySet[AccessAttempt]:
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)


GROUPS = {
    "username+ip_address": ("username", "ip_address"),
    "username": ("username",),
    "ip_address": ("ip_address",),
}


def current_locks() -> list[Lock]:
    """The locks in force now, newest first: each kind whose recent failures reached its limit."""
    locks: list[Lock] = []
    for kind, fields in GROUPS.items():
        if kind not in {_key(p) for p in settings.AXES_LOCKOUT_PARAMETERS}:
            continue
        rows = (
            _recent()
            .values(*fields)
            .annotate(failures=Sum("failures_since_start"), last_at=Max("attempt_time"))
            .filter(failures__gte=limit_for(kind))
        )
        locks.extend(
            Lock(
                kind=kind,
                username=row.get("username"),
                ip_address=row.get("ip_address"),
                failures=row["failures"],
                last_at=row["last_at"],
            )
            for row in rows
        )
    return sorted(locks, key=lambda lock: lock.last_at, reverse=True)


def locks_of(username: str) -> list[Lock]:
    """The locks in force on one account (for its person's page)."""
    return [lock for lock in current_locks() if lock.username == username]


def attempts_of(kind: str, username: str | None, ip_address: str | None) -> QuerySet[AccessAttempt]:
    """The failures that make up one lock: lifting it deletes them."""
    rows = AccessAttempt.objects.all()
    if "username" in GROUPS[kind]:
        rows = rows.filter(username=username)
    if "ip_address" in GROUPS[kind]:
        rows = rows.filter(ip_address=ip_address)
    return rows
