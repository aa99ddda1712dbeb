"""Checks a service makes before it writes: the role may do the action, the record is in scope."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from zhaoshang.core.roles import Action, Role
from zhaoshang.core.scoping import Principal

# Scripts, the demo generator and migrations act as the system: everything, and audited as such.
SYSTEM = Principal(
    user_id=None, roles=frozenset(Role), sees_everything=True, extra={"unit_repr": "system", "system": True}
)


def require(principal: Principal, action: Action, *or_actions: Action) -> None:
    """The principal's roles allow `action` (or one of `or_actions`)."""
    if principal is SYSTEM:
        return
    if not any(principal.can(a) for a in (action, *or_actions)):
        raise PermissionDenied("您的角色无权执行此操作。")


def require_in_scope(principal: Principal, instance: models.Model, action: Action) -> None:
    """The record must lie in the subtree of a role that allows this action (not merely one that reads it)."""
    if principal is SYSTEM:
        return
    manager: Any = type(instance)._default_manager  # a ScopedQuerySet's manager
    if not manager.visible_to(principal.acting_for(action)).filter(pk=instance.pk).exists():
        raise PermissionDenied("该记录属于您职责范围以外的单位。")
