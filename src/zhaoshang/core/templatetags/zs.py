"""Template filters shared by every app."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from zhaoshang.core import audit_display, lists, numbers, pickers
from zhaoshang.core.models import AuditEvent

register = template.Library()


@register.filter
def audit_changes(event: AuditEvent) -> list[tuple[str, str, str]]:
    """(label, before, after) for one event; lists of events use `{% described events as rows %}`."""
    return audit_display.describe([event])[0][1]


@register.simple_tag
def described(events: object) -> list[tuple[AuditEvent, list[tuple[str, str, str]]]]:
    """`{% described history as rows %}`: each event with its changes in words, related records
    named with one query per related model for the whole list."""
    return audit_display.describe(events)  # type: ignore[arg-type]


@register.filter
def channel_label(code: str) -> str:
    """`{{ e.channel|channel_label }}`: 网页, 接口, 后台任务 …"""
    return audit_display.channel_label(code)


@register.filter
def record_kind(target_type: str) -> str:
    """`{{ e.target_type|record_kind }}`: "企业" for enterprises.enterprise."""
    return audit_display.record_kind(target_type)


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


# ---------------------------------------------------------------- list pages (core.lists)


@register.simple_tag(takes_context=True)
def sort_header(context: template.Context, key: str, label: str = "") -> str:
    """`{% sort_header "name" %}`: the column's header as a link that sorts by it, again to reverse.

    The link keeps the filters in force and goes back to the first page; inside a list table htmx
    swaps only the table and the address bar keeps the shareable URL.
    """
    listing = context.get("listing")
    sort = next((f for f in getattr(listing, "filters", {}).values() if isinstance(f, lists.Sort)), None)
    text = label or (sort.labels.get(key, key) if sort else key)
    current = context.get("sort", "")
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["sort"] = f"-{key}" if current == key else key
    arrow, state = "", "none"
    if current == key:
        arrow, state = " ▲", "ascending"
    elif current == f"-{key}":
        arrow, state = " ▼", "descending"
    return format_html(
        '<a href="?{}" class="text-reset text-decoration-none" data-sort="{}" aria-sort="{}">{}{}</a>',
        params.urlencode(),
        key,
        state,
        text,
        arrow,
    )


@register.filter
def industry(code: str | None) -> str:
    """`{{ e.industry_code|industry }}`: "4220 废弃资源综合利用业", the code with its GB/T 4754 name."""
    return pickers.industry_label(code)
