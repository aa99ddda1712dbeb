"""Open sessions per user (等保 身份鉴别 b, ASVS 7.3/7.4): the state a log-in starts, the limit of
concurrent sessions, and ending every session of a user (password change, administrator's reset).

What a log-in decides is kept in the session itself, so the middleware needs no query per request:
`START` and `SEEN` (epoch seconds), `SECOND_FACTOR` ("verify": a code is due, "enrol": the role
requires a device the user has not set up, "": nothing due) and `PASSWORD` (why a change is due).
"""

from __future__ import annotations

import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django_otp import devices_for_user

from zhaoshang.core import context
from zhaoshang.org.models import Membership, UserSession
from zhaoshang.org.passwords import change_reason

START = "zs_start"
SEEN = "zs_seen"
SECOND_FACTOR = "zs_2fa"
PASSWORD = "zs_password"  # noqa: S105  # a session key name, not a password


def _store(session_key: str | None = None) -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def has_device(user: Any) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def second_factor_required(user: Any) -> bool:
    roles = set(settings.ZHAOSHANG_2FA_REQUIRED_ROLES)
    return bool(roles) and Membership.objects.filter(user_id=user.pk, role__in=roles).exists()


def second_factor_due(user: Any) -> str:
    if has_device(user):
        return "verify"
    return "enrol" if second_factor_required(user) else ""


def register(request: Any, user: Any) -> None:
    """Note the request's session as one of the user's, ending the oldest beyond the limit."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    UserSession.objects.update_or_create(
        session_key=key, defaults={"user_id": user.pk, "ip": context.client_ip(request.META)}
    )
    rows = list(UserSession.objects.filter(user_id=user.pk).order_by("-created_at", "-id"))
    alive = []
    for row in rows:
        if row.session_key != key and not _store().exists(row.session_key):
            row.delete()  # expired or logged out elsewhere
        else:
            alive.append(row)
    for row in alive[settings.ZHAOSHANG_MAX_SESSIONS :]:
        _store(row.session_key).delete()
        row.delete()


def end_all(user: Any, *, keep: str | None = None) -> int:
    """End every session of the user except `keep` (the one changing its own password)."""
    ended = 0
    for row in UserSession.objects.filter(user_id=user.pk).exclude(session_key=keep or ""):
        _store(row.session_key).delete()
        row.delete()
        ended += 1
    return ended


@receiver(user_logged_in)
def _started(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[START] = now
    request.session[SEEN] = now
    request.session[SECOND_FACTOR] = second_factor_due(user)
    request.session[PASSWORD] = change_reason(user)
    register(request, user)


@receiver(user_logged_out)
def _ended(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()
