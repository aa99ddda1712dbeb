"""Reads of the organisation, always through the scoping mechanism."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.roles import Action, Role
from zhaoshang.core.scoping import Principal
from zhaoshang.org.models import Leader, Membership, Unit, UnitKind, User


def units_for_list(principal: Principal, filters: dict[str, Any]) -> QuerySet[Unit]:
    """The units the list shows under these filters (declared once, in `filters.py`)."""
    from zhaoshang.org.filters import units_matching

    return units_matching(principal, filters)


def unit_for_page(principal: Principal, pk: int) -> Unit:
    return Unit.objects.select_related("kind", "parent").get_visible_or_404(principal, pk=pk)


def can_edit_unit(principal: Principal, unit: Unit) -> bool:
    """Whether one of the user's roles both allows editing units and covers this one."""
    if not principal.can(Action.EDIT_UNIT_PROFILE):
        return False
    return Unit.objects.visible_to(principal.acting_for(Action.EDIT_UNIT_PROFILE)).filter(pk=unit.pk).exists()


def unit_members(unit: Unit) -> QuerySet[Membership]:
    return Membership.objects.filter(unit=unit).select_related("user").order_by("role", "user__username")


def unit_children(principal: Principal, unit: Unit) -> QuerySet[Unit]:
    return (
        Unit.objects.visible_to(principal)
        .filter(parent=unit)
        .select_related("kind")
        .order_by("sort_order", "path")
    )


def units_choosable(principal: Principal) -> QuerySet[Unit]:
    return Unit.objects.visible_to(principal).filter(is_active=True).select_related("kind").order_by("path")


def unit_kinds() -> QuerySet[UnitKind]:
    return UnitKind.objects.all()


def memberships_in_scope(principal: Principal) -> Prefetch:
    """A person's roles, but only those in units the viewer may see."""
    visible = Membership.objects.visible_to(principal).select_related("unit", "unit__kind").order_by("id")
    return Prefetch("memberships", queryset=visible)


def users_for_list(principal: Principal, filters: dict[str, Any]) -> QuerySet[User]:
    """The people the list shows under these filters (declared once, in `filters.py`)."""
    from zhaoshang.org.filters import users_matching

    return users_matching(principal, filters)


def user_for_page(principal: Principal, pk: int) -> User:
    return User.objects.prefetch_related(memberships_in_scope(principal)).get_visible_or_404(principal, pk=pk)


def leaders(principal: Principal) -> QuerySet[Leader]:
    return Leader.objects.visible_to(principal).filter(is_active=True).select_related("user", "unit")


# The roles of people who work on projects: a task force (工作专班) or a committee is made of them,
# never of enterprise, inspector or administrator accounts.
WORKING_ROLES = (Role.UNIT_STAFF, Role.COORDINATOR, Role.LEADER)


def jurisdiction_leaders(scope: Principal) -> QuerySet[User]:
    """The leaders (领导) of the jurisdictions the scope's units belong to, and of the jurisdictions
    inside its subtrees: a county's staff get their county's leaders, never another county's.
    Pass the principal as it reads (a picker's choices of an export) or `acting_for` a write."""
    held = Membership.objects.filter(role=Role.LEADER, unit__is_active=True)
    if not scope.sees_everything:
        own = Unit.objects.filter(path__in=scope.unit_paths).values("jurisdiction_path")
        inside = Q(pk__in=[])
        for prefix in scope.unit_paths:
            inside |= Q(unit__path__startswith=prefix)
        held = held.filter(Q(unit__jurisdiction_path__in=own) | inside)
    return User.objects.filter(pk__in=held.values("user_id"), is_active=True).order_by("display_name", "pk")


def working_staff(scope: Principal, *, jurisdiction: Unit | None = None) -> QuerySet[User]:
    """Active people holding a working role in a unit of the scope; with `jurisdiction` (a project's
    town or county), only in units of that unit's county."""
    units = Unit.objects.visible_to(scope).filter(is_active=True)
    if jurisdiction is not None:
        units = units.filter(jurisdiction_path=jurisdiction.jurisdiction_path)
    working = Membership.objects.filter(unit__in=units.values("pk"), role__in=WORKING_ROLES).values("user_id")
    return User.objects.filter(pk__in=working, is_active=True).order_by("display_name", "pk")


def enterprise_accounts(principal: Principal) -> QuerySet[User]:
    """Active accounts that may speak for an enterprise: holding no role but 企业 (a new account
    waiting for its role included), among the accounts the principal sees."""
    staff = Membership.objects.exclude(role=Role.ENTERPRISE).values("user_id")
    return (
        User.objects.visible_to(principal)
        .filter(is_active=True)
        .exclude(pk__in=staff)
        .order_by("display_name", "username", "pk")
    )


def record_history(principal: Principal, instance: Any) -> QuerySet[AuditEvent] | list[AuditEvent]:
    if not principal.can(Action.VIEW_RECORD_HISTORY):
        return []
    return audit.history(instance)


def role_holder_ids(role: str) -> list[int]:
    """Active users holding a role in an active unit (for alerts addressed to a role)."""
    return list(
        Membership.objects.filter(role=role, user__is_active=True, unit__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def members_of(unit_ids: Any, roles: Iterable[str]) -> list[tuple[int, int]]:
    """(unit id, user id) of the active people holding one of `roles` in these very units (not below):
    who a notification addressed to a unit reaches. `unit_ids` may be a list or a subquery."""
    return list(
        Membership.objects.filter(
            unit_id__in=unit_ids, role__in=list(roles), user__is_active=True, unit__is_active=True
        )
        .order_by("unit_id", "user_id")
        .values_list("unit_id", "user_id")
        .distinct()
    )


def jurisdiction_members(unit: Unit, roles: Iterable[str]) -> list[int]:
    """The active people holding one of `roles` in the jurisdiction `unit` belongs to (the county's
    coordinators sit in its bureaus): who hears of what happens to a county-wide record."""
    return list(
        Membership.objects.filter(
            unit__jurisdiction_path=unit.jurisdiction_path,
            role__in=list(roles),
            user__is_active=True,
            unit__is_active=True,
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
