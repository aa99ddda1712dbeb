from __future__ import annotations

from typing import Any

from django import template

from zhaoshang.chains.filters import growth as _growth

register = template.Library()


@register.simple_tag
def growth(now: Any, before: Any) -> str:
    """The change from last year as the export writes it: "+12.5%", or "—"."""
    return _growth(now, before)


BADGES = {"strong": "text-bg-success", "weak": "text-bg-warning", "missing": "text-bg-danger"}


@register.filter
def node_badge(status: str) -> str:
    """The badge colour of a node's status: green strong, orange weak, red missing."""
    return BADGES.get(status, "text-bg-secondary")
