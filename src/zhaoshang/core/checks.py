"""The plausibility checks services make on what a person typed, each adding a Chinese message that
names the field to `found` (field → message), so a service raises them all at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def text(values: dict[str, Any], name: str, label: str, found: dict[str, str], *, required: bool) -> None:
    """Trim the text in place; an empty required one is refused."""
    if name in values:
        values[name] = (values[name] or "").strip()
        if required and not values[name]:
            found[name] = f"{label}：必须填写"


def not_negative(values: dict[str, Any], labels: dict[str, str], found: dict[str, str]) -> None:
    for name, label in labels.items():
        value = values.get(name)
        if value is not None and Decimal(value) < 0:
            found[name] = f"{label}：不能为负数"


def in_order(
    first: dt.date | None, then: dt.date | None, name: str, labels: tuple[str, str], found: dict[str, str]
) -> None:
    """`then` (named `name`) may not come before `first`."""
    if first is not None and then is not None and then < first:
        found[name] = f"{labels[1]}：不能早于{labels[0]}（{first:%Y-%m-%d}）"


def not_future(on: dt.date | None, today: dt.date, name: str, label: str, found: dict[str, str]) -> None:
    if on is not None and on > today:
        found[name] = f"{label}：不能晚于今天"
