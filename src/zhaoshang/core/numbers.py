"""Numbers as the speeches write them: 50,000 万元, 127.43 亿元, 1,234.5 亩, 85.2%.

One place decides how a figure reads, for pages (the `num`, `wan`, `money`, `mu`, `pct` filters in
`core.templatetags.zs`) and for exports (`excel_format`). Thousands separators always; at most the
stated number of decimals, rounded half-up; no trailing zeros; nothing for a missing figure but "—".
Stored values are never rounded here: only their rendering is.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MISSING = "—"
# From this many 万元 an amount reads in 亿元 (1 亿元 = 10,000 万元), as the speeches write large sums.
YI_FROM_WAN = Decimal(10_000)


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def rounded(value: object, places: int = 2) -> Decimal | None:
    """The figure as a page shows it, as a number (for an export's cell): half-up to `places`, never -0."""
    d = _decimal(value)
    if d is None:
        return None
    out = d.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) if places >= 0 else d
    return abs(out) if out == 0 else out


def number(value: object, places: int = 2) -> str:
    """`1234567.8900` → "1,234,567.89"; `50000.0000` → "50,000"; `None` → "—"."""
    rounded_value = rounded(value, places)
    if rounded_value is None:
        return MISSING
    text = f"{rounded_value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def wan(value: object, places: int = 2) -> str:
    """An amount in 万元 with its unit: "50,000 万元"."""
    text = number(value, places)
    return text if text == MISSING else f"{text} 万元"


def money(value: object, places: int = 2) -> str:
    """An amount stored in 万元, in 亿元 when it reaches 1 亿: "127.43 亿元", else "8,600 万元"."""
    d = _decimal(value)
    if d is None:
        return MISSING
    if abs(d) >= YI_FROM_WAN:
        return f"{number(d / YI_FROM_WAN, places)} 亿元"
    return wan(d, places)


def mu(value: object, places: int = 2) -> str:
    """Land in 亩 with its unit: "1,234.5 亩"."""
    text = number(value, places)
    return text if text == MISSING else f"{text} 亩"


def pct(value: object, places: int = 1) -> str:
    """A value already in percent: `85.25` → "85.3%"."""
    text = number(value, places)
    return text if text == MISSING else f"{text}%"


def ratio_pct(value: object, places: int = 1) -> str:
    """A ratio shown in percent: `0.8525` → "85.3%"."""
    d = _decimal(value)
    return MISSING if d is None else pct(d * 100, places)


def excel_format(places: int = 2) -> str:
    """The cell number format for the same figure in an export: thousands separators, two decimals
    shown, more only where the value has them (up to `places`): 50,000.00 and 1,234.5678.

    Excel cannot drop trailing zeros and keep separators, so two decimals always show; the cell keeps
    the full stored value.
    """
    if places <= 0:
        return "#,##0"
    return "#,##0." + "0" * min(places, 2) + "#" * max(places - 2, 0)
