"""Audited writes shared by every app's services: create, update only what changed, delete."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from zhaoshang.core import audit, versioning
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.validators import storable_text_problem

M = TypeVar("M", bound=models.Model)


def audited_create(instance: M, *, reason: str = "", clean: bool = True) -> M:
    with transaction.atomic():
        if clean:
            instance.full_clean()
        instance.save(force_insert=True)
        audit.record(AuditEvent.Action.CREATE, instance, after=audit.snapshot(instance), reason=reason)
    return instance


def audited_update(
    instance: M, changes: dict[str, Any], *, reason: str = "", action: str = AuditEvent.Action.UPDATE
) -> list[str]:
    """Set the given fields, validate, save only those that changed; returns their names."""
    bad = {
        name: problem
        for name, value in changes.items()
        if isinstance(value, str) and (problem := storable_text_problem(value))
    }
    if bad:
        raise ValidationError(bad)
    # Callers may name a relation by its column ("resolved_by_id"); the snapshot keys fields by name.
    fields = {f.attname: f for f in instance._meta.concrete_fields} | {
        f.name: f for f in instance._meta.concrete_fields
    }
    names = [fields[k].name if k in fields else k for k in changes]
    before = audit.snapshot(instance, names)
    for name, value in changes.items():
        field = fields.get(name)
        if isinstance(field, models.DecimalField) and isinstance(value, Decimal | int):
            # As the database will hold it: "30" typed over a stored 30.0000 is no change.
            value = Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
        setattr(instance, name, value)
    after = audit.snapshot(instance, names)
    changed = [name for name in names if before.get(name) != after.get(name)]
    if not changed:
        return []
    with transaction.atomic():
        instance.full_clean()
        instance.save(update_fields=_update_fields(instance, changed))
        old, new = audit.changes(before, after)
        audit.record(action, instance, before=old, after=new, reason=reason)
        versioning.bump(instance)  # an editor who read the record before this change is refused
    return changed


def audited_delete(instance: models.Model, *, reason: str = "") -> None:
    with transaction.atomic():
        before = audit.snapshot(instance)
        target_type, target_id, target_repr = audit.target_label(instance), instance.pk, str(instance)
        instance.delete()
        audit.record(
            AuditEvent.Action.DELETE,
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr,
            before=before,
            reason=reason,
        )


def _update_fields(instance: models.Model, names: Iterable[str]) -> list[str]:
    fields = [instance._meta.get_field(name) for name in names]
    return [f.name for f in fields if f.concrete]
