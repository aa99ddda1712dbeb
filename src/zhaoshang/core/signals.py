"""Log-ins, log-outs and failed log-ins are security events (等保 安全审计), recorded like any change."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from zhaoshang.core import audit, context
from zhaoshang.core.models import AuditEvent


def _client_ip(request: Any) -> str | None:
    return context.client_ip(request.META) if request is not None else None


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    ctx = context.current()
    with context.acting(
        context.ActorContext(
            user_id=user.pk,
            user_repr=str(user),
            ip=_client_ip(request) or ctx.ip,
            request_id=ctx.request_id,
            channel=ctx.channel if ctx.channel != "system" else "web",
        )
    ):
        audit.record(AuditEvent.Action.LOGIN, user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(AuditEvent.Action.LOGOUT, user, actor=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Only the user name is kept; the password that was tried never is.
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        AuditEvent.Action.LOGIN_FAILED,
        target_type="org.user",
        target_repr=username,
        after={"username": username, "ip": _client_ip(request)},
    )
