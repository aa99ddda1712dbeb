"""Builds the `Principal` (what a user may see) from their memberships: one query per request."""

from __future__ import annotations

from typing import Any

from zhaoshang.core.roles import Role
from zhaoshang.core.scoping import ANONYMOUS, Principal
from zhaoshang.org.models import Membership

# Roles that see their whole jurisdiction (the county a department belongs to), not just their unit.
JURISDICTION_ROLES = frozenset({Role.LEADER, Role.COORDINATOR})
GLOBAL_ROLES = frozenset({Role.INSPECTOR, Role.ADMIN})


def _minimal_prefixes(paths: set[str]) -> tuple[str, ...]:
    """Drop paths already covered by a shorter prefix, so the filter stays small."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(sorted(kept))


def principal_for(user: Any) -> Principal:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    memberships = list(
        Membership.objects.filter(user_id=user.pk, unit__is_active=True).select_related("unit").order_by("id")
    )
    roles = frozenset(Role(m.role) for m in memberships)
    paths: set[str] = set()
    for m in memberships:
        role = Role(m.role)
        if role in JURISDICTION_ROLES:
            paths.add(m.unit.jurisdiction_path)
        elif role == Role.UNIT_STAFF:
            paths.add(m.unit.path)
    # Enterprise users are linked to their enterprise by the enterprise registry; until then none.
    enterprise_ids: frozenset[int] = frozenset()
    return Principal(
        user_id=user.pk,
        roles=roles,
        unit_paths=_minimal_prefixes(paths),
        unit_ids=frozenset(m.unit_id for m in memberships),
        enterprise_ids=enterprise_ids,
        sees_everything=bool(roles & GLOBAL_ROLES),
        extra={"unit_repr": "、".join(dict.fromkeys(m.unit.name for m in memberships))},
    )
