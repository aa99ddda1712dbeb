"""Who may write the county's outreach records, and the checks every outreach service shares."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from zhaoshang.core.permissions import SYSTEM, require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.org.models import Unit


def county_of(unit: Unit) -> Unit:
    """The county (the jurisdiction) a unit belongs to."""
    if unit.kind.is_jurisdiction:
        return unit
    return Unit.objects.get(path=unit.jurisdiction_path)


def may_write_for(by: Principal, unit: Unit) -> bool:
    """A unit's own staff (and those above it) write its trips, visits and contacts; the county's
    coordinators write any of the county's."""
    if by is SYSTEM:
        return True
    if by.read_only or not by.can(Action.EDIT_BUSINESS):
        return False
    return any(unit.path.startswith(p) for p in by.acting_for(Action.EDIT_BUSINESS).unit_paths)


def require_unit_writer(by: Principal, unit: Unit | None) -> None:
    require(by, Action.EDIT_BUSINESS)
    if unit is not None and not may_write_for(by, unit):
        raise PermissionDenied("只能登记本单位（或所辖单位）的招商工作。")


def require_coordinator(by: Principal, county: Any) -> None:
    require(by, Action.CONFIGURE_RULES)
    if by is not SYSTEM and not any(
        county.path.startswith(p) for p in by.acting_for(Action.CONFIGURE_RULES).unit_paths
    ):
        raise PermissionDenied("只有本县统筹协调人员可以修改。")
