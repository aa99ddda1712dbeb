"""API authentication: the browser session (with CSRF) or a bearer token from the account page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from zhaoshang.core import context
from zhaoshang.org.principal import principal_for
from zhaoshang.org.services import token_user


def _adopt(request: HttpRequest, user: Any) -> Any:
    """Make the authenticated user the request's actor: for scoping and for the audit log."""
    request.user = user
    principal = principal_for(user)
    request.principal = principal  # type: ignore[attr-defined]
    ctx = context.current()
    context.replace(
        context.ActorContext(
            user_id=user.pk,
            user_repr=str(user),
            role=",".join(sorted(principal.roles)),
            unit_repr=str(principal.extra.get("unit_repr", "")),
            ip=ctx.ip,
            request_id=ctx.request_id,
            channel="api",
        )
    )
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        return _adopt(request, user) if user is not None else None


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return _adopt(request, user) if user is not None and user.is_active else None
