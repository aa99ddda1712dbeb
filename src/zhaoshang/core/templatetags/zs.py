"""Template filters shared by every app."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from zhaoshang.core import numbers
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
        return "是"
    if value is False:
        return "否"
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


# ---------------------------------------------------------------- numbers and units (core.numbers)


@register.filter
def num(value: object, places: int = 2) -> str:
    """`{{ x|num }}`: 1,234,567.89, no trailing zeros, "—" when missing; `{{ x|num:0 }}` for whole numbers."""
    return numbers.number(value, int(places))


@register.filter
def wan(value: object, places: int = 2) -> str:
    """`{{ amount|wan }}`: "50,000 万元"."""
    return numbers.wan(value, int(places))


@register.filter
def money(value: object, places: int = 2) -> str:
    """`{{ amount|money }}`: "127.43 亿元" from 1 亿 up, else "8,600 万元"."""
    return numbers.money(value, int(places))


@register.filter
def mu(value: object, places: int = 2) -> str:
    """`{{ land|mu }}`: "1,234.5 亩"."""
    return numbers.mu(value, int(places))


@register.filter
def pct(value: object, places: int = 1) -> str:
    """`{{ rate|pct }}` for a value in percent: "85.3%"."""
    return numbers.pct(value, int(places))


@register.filter
def ratio_pct(value: object, places: int = 1) -> str:
    """`{{ share|ratio_pct }}` for a ratio: 0.853 → "85.3%"."""
    return numbers.ratio_pct(value, int(places))
