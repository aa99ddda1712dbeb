"""Optimistic version checks: an edit saved against an older version of a record is refused, never lost.

A model inherits `Versioned` (an integer `version`, bumped by `core.services.audited_update` on every
change it writes, so imports and state moves count too). Its edit form mixes in `VersionedForm`, which
carries the version the record was read at and what was read (hidden, signed). Its service takes
``version=`` and opens its transaction with ``versioning.editing(instance, version)``: the row is held
if it is still at that version, otherwise `StaleEdit` ("已被 X 于 T 修改，请刷新后再改") is raised. A page
shows it above what was typed (`VersionedForm.refused_as_stale` lists what changed); the API answers 409.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from zhaoshang.core import audit
from zhaoshang.core.audit_display import describe
from zhaoshang.core.models import AuditEvent

# The hidden fields a versioned form adds; views leave them out of what they pass to a service.
VERSION_FIELD, READ_FIELD = "version", "read"
FORM_FIELDS = frozenset({VERSION_FIELD, READ_FIELD})
MISSING = "页面缺少版本信息（可能已过期），请刷新后再改"
SALT = "zhaoshang.versioning.read"
CHANGING = (AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE, AuditEvent.Action.TRANSITION)


class Versioned(models.Model):
    """A record edited by several people: `version` counts its changes (1 when created)."""

    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        abstract = True


class StaleEdit(ValidationError):
    """The record changed since it was read; `by` and `at` name the last change (a name, local time)."""

    def __init__(self, by: str, at: str) -> None:
        super().__init__(f"已被 {by} 于 {at} 修改，请刷新后再改", code="stale")
        self.by, self.at = by, at


def last_change(instance: models.Model) -> tuple[str, str]:
    """Who changed the record last and when (Asia/Shanghai, as the pages show times), from its audit log."""
    event = (
        AuditEvent.objects.filter(
            target_type__in=audit.labels_of(audit.target_label(instance)),
            target_id=str(instance.pk),
            action__in=CHANGING,
        )
        .order_by("-seq")
        .only("actor_repr", "at")
        .first()
    )
    if event is not None:
        return event.actor_repr or "系统", timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M")
    updated = getattr(instance, "updated_at", None)
    when = timezone.localtime(updated).strftime("%Y-%m-%d %H:%M") if updated else "刚才"
    return "他人", when


def claim(instance: models.Model, version: int | None) -> None:
    """Inside the caller's transaction: hold the row if it is still at `version`, else raise `StaleEdit`.

    The conditional UPDATE is the check and the lock at once: a concurrent editor waits for this
    transaction, then finds the version moved on. ``None`` (scripts, imports) skips the check.
    """
    if version is None:
        return
    manager = type(instance)._base_manager
    if not manager.filter(pk=instance.pk, version=version).update(version=F("version")):
        raise StaleEdit(*last_change(instance))


@contextmanager
def editing(instance: models.Model, version: int | None) -> Iterator[None]:
    """A service's transaction for an edit read at `version`: refused before anything is written."""
    with transaction.atomic():
        claim(instance, version)
        yield


def bump(instance: models.Model) -> None:
    """Count one change of a versioned record (called by `audited_update`; by services for relations)."""
    if not isinstance(instance, Versioned) or instance.pk is None:
        return
    manager = type(instance)._base_manager
    manager.filter(pk=instance.pk).update(version=F("version") + 1)
    instance.version = manager.values_list("version", flat=True).get(pk=instance.pk)


class VersionedForm:
    """Mixed into the ModelForm that edits a `Versioned` record (before `forms.ModelForm`).

    Adds two hidden fields: the version read, and what was read (the compared fields, signed), so a
    refused save can show each changed field with the value this person read and the value now stored.
    """

    instance: Any
    fields: dict[str, forms.Field]
    initial: MutableMapping[str, Any]
    data: Any
    cleaned_data: dict[str, Any]
    stale_changes: list[tuple[str, str, str]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stale_changes = []
        if self.instance.pk is None:
            return
        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.fields[READ_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.initial[VERSION_FIELD] = self.instance.version
        self.initial[READ_FIELD] = signing.dumps(audit.snapshot(self.instance, self._compared()), salt=SALT)

    def _compared(self) -> list[str]:
        concrete = {f.name for f in self.instance._meta.concrete_fields}
        return [name for name in self.fields if name in concrete]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean()  # type: ignore[misc]
        if self.instance.pk is not None:
            text = str(data.get(VERSION_FIELD) or "")
            if not (text.isascii() and text.isdecimal() and len(text) <= 9):
                raise forms.ValidationError(MISSING)
            data[VERSION_FIELD] = int(text)
        return data

    @property
    def read_version(self) -> int | None:
        """The version this form was read at (after `is_valid()`); None for a new record."""
        return self.cleaned_data.get(VERSION_FIELD) if self.instance.pk is not None else None

    def edited(self) -> dict[str, Any]:
        """The cleaned values without the version fields: what the service is given."""
        return {k: v for k, v in self.cleaned_data.items() if k not in FORM_FIELDS}

    def refused_as_stale(self, exc: StaleEdit) -> None:
        """Show the refusal above the typed values, and what changed since the form was read."""
        self.add_error(None, exc.messages)  # type: ignore[attr-defined]
        try:
            read = signing.loads(str(self.data.get(self.add_prefix(READ_FIELD), "")), salt=SALT)  # type: ignore[attr-defined]
        except signing.BadSignature:
            read = {}
        names = self._compared()
        stored = type(self.instance)._base_manager.get(pk=self.instance.pk)
        now = audit.snapshot(stored, names)
        moved = [n for n in names if n in read and read[n] != now.get(n)]
        if not moved:
            return
        event = AuditEvent(
            target_type=audit.target_label(stored),
            before={n: read[n] for n in moved},
            after={n: now.get(n) for n in moved},
        )
        self.stale_changes = describe([event])[0][1]
