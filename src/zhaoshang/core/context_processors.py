from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhaoshang.core import notifications
from zhaoshang.core.roles import Action


def layout(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: the unread count and which menu entries this user has."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    principal = request.principal  # type: ignore[attr-defined]
    return {
        "principal": principal,
        "unread_count": notifications.unread_count(user.pk),
        "nav": {
            "pipeline": principal.can(Action.VIEW_PIPELINE),
            "org": principal.can(Action.VIEW_ORG),
            "users": principal.can(Action.VIEW_ORG),
            "audit": principal.can(Action.VIEW_AUDIT),
        },
    }
