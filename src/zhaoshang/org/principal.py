"""Builds the `Principal` (what a user may see) from their memberships: one query per request."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from zhaoshang.core.roles import GLOBAL_ROLES, JURISDICTION_ROLES, Role
from zhaoshang.core.scoping import ANONYMOUS, Principal, minimal_prefixes
from zhaoshang.org.models import Membership

# Apps above org (the enterprise registry) say which enterprises an enterprise user speaks for.
ENTERPRISE_PROVIDERS: list[Callable[[int], Iterable[int]]] = []


def principal_for(user: Any) -> Principal:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    memberships = list(
        Membership.objects.filter(user_id=user.pk, unit__is_active=True).select_related("unit").order_by("id")
    )
    roles = frozenset(Role(m.role) for m in memberships)
    grants: list[tuple[Role, str]] = []
    for m in memberships:
        role = Role(m.role)
        if role in JURISDICTION_ROLES:
            grants.append((role, m.unit.jurisdiction_path))
        elif role == Role.UNIT_STAFF:
            grants.append((role, m.unit.path))
    enterprise_ids: frozenset[int] = frozenset()
    if Role.ENTERPRISE in roles:
        enterprise_ids = frozenset(eid for provider in ENTERPRISE_PROVIDERS for eid in provider(user.pk))
    return Principal(
        user_id=user.pk,
        roles=roles,
        unit_paths=minimal_prefixes(path for _role, path in grants),
        unit_ids=frozenset(m.unit_id for m in memberships),
        enterprise_ids=enterprise_ids,
        sees_everything=bool(roles & GLOBAL_ROLES),
        grants=tuple(grants),
        extra={"unit_repr": "、".join(dict.fromkeys(m.unit.name for m in memberships))},
    )
