"""Template filters shared by every app."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from zhaoshang.core.models import AuditEvent

register = template.Library()


@lru_cache(maxsize=512)
def _field(target_type: str, name: str) -> tuple[str, bool]:
    """The field's label and whether people edit it (internal fields such as paths are hidden)."""
    try:
        field = apps.get_model(target_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name, True
    return str(getattr(field, "verbose_name", name)), bool(getattr(field, "editable", True)) and name != "id"


def _shown(value: object) -> object:
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return "—" if value in (None, "") else value


@register.filter
def audit_changes(event: AuditEvent) -> list[tuple[str, object, object]]:
    """(label, before, after) for each changed field people would recognise, in their language."""
    rows = []
    for name, old, new in event.changed_fields:
        label, editable = _field(event.target_type, name)
        if editable:
            rows.append((label, _shown(old), _shown(new)))
    return rows


@register.filter
def named(message: str, label: str) -> str:
    """An error message that names its field once: "电话：只能填写数字…"."""
    message, label = str(message), str(label)
    return message if message.startswith(label) else f"{label}：{message}"


@register.filter
def get_item(mapping: object, key: object) -> object:
    """mapping[key] in a template, for tables keyed by a variable."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""
