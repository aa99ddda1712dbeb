"""Which units and people a user may name on a record they write: one check per kind of reference.

Naming a unit (a town, a park, a lead or member unit, a planning unit) puts the record into that unit's
lists, so only units in the subtrees where one may write business records can be named. A leader may be
named if they lead the jurisdiction of those subtrees (or one inside them); a person of a task force if
they hold a working role in one of those units (read by `org.selectors`, for views, sheets and API).
Services call the checks before they write, so the form, the API and the import refuse alike, each
message naming the field ("园区：该单位不在您的职责范围内"). The pickers of the forms and the choices of
the import templates list the same querysets."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet

from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.org import selectors
from zhaoshang.org.models import Unit, UnitKind, User

OUT_OF_SCOPE = "该单位不在您的职责范围内"


def writable_units(by: Principal, kind: str | None = None) -> QuerySet[Unit]:
    """The units a business record of this principal may name (of one kind, when given)."""
    units = Unit.objects.visible_to(by.acting_for(Action.EDIT_BUSINESS))
    return (units.filter(kind__code=kind) if kind else units).select_related("kind").order_by("path")


def configured_jurisdiction(by: Principal) -> Unit:
    """The unit a coordinator configures (rules, schemes, chains): the jurisdiction they hold the role in."""
    acting = by.acting_for(Action.CONFIGURE_RULES)
    unit = (
        Unit.objects.filter(path__in=acting.unit_paths).order_by("path").first()
        if acting.unit_paths
        else None
    )
    if unit is None:
        raise PermissionDenied("您没有可配置的辖区。")
    return unit


def nameable_leaders(by: Principal) -> QuerySet[User]:
    """领导 this principal may make responsible: the leaders of its own jurisdiction (and of those inside)."""
    return selectors.jurisdiction_leaders(by.acting_for(Action.EDIT_BUSINESS))


def nameable_people(by: Principal, *, within: Unit | None = None) -> QuerySet[User]:
    """People who may join a record's task force (工作专班): staff of the writable units, and only of
    the record's county when `within` (its town) is known."""
    return selectors.working_staff(by.acting_for(Action.EDIT_BUSINESS), jurisdiction=within)


def _refuse(field: str, label: str, text: str) -> ValidationError:
    return ValidationError({field: f"{label}：{text}"})


def check_unit(by: Principal, unit: Unit | None, *, field: str, label: str, kind: str | None = None) -> None:
    """The unit is of the kind asked for and lies where this principal writes business records."""
    if unit is None:
        return
    if kind is not None and unit.kind.code != kind:
        name = UnitKind.objects.filter(code=kind).values_list("name", flat=True).first() or kind
        raise _refuse(field, label, f"“{unit}”不是{name}")
    if not writable_units(by).filter(pk=unit.pk).exists():
        raise _refuse(field, label, OUT_OF_SCOPE)


def check_units(by: Principal, units: Iterable[Unit], *, field: str, label: str) -> None:
    ids = {u.pk for u in units}
    if ids - set(writable_units(by).filter(pk__in=ids).values_list("pk", flat=True)):
        raise _refuse(field, label, "所选单位中有不在您职责范围内的")


def check_leader(by: Principal, user: User | None, *, field: str, label: str) -> None:
    if user is not None and not nameable_leaders(by).filter(pk=user.pk).exists():
        raise _refuse(field, label, "只能选择您所在区域的县级领导")


def check_people(
    by: Principal, people: Iterable[User], *, field: str, label: str, within: Unit | None = None
) -> None:
    ids = {u.pk for u in people}
    if ids - set(nameable_people(by, within=within).filter(pk__in=ids).values_list("pk", flat=True)):
        raise _refuse(field, label, "只能选择您职责范围内单位的人员")
