"""Figures read as the speeches write them; a property test against a plain reference."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from zhaoshang.core import numbers


def test_amounts_read_as_the_speeches_write_them() -> None:
    assert numbers.wan(Decimal("50000.0000")) == "50,000 万元"
    assert numbers.money(Decimal("1274300.0000")) == "127.43 亿元"
    assert numbers.money(Decimal("8600.5000")) == "8,600.5 万元"
    assert numbers.mu(Decimal("20.0000")) == "20 亩"
    assert numbers.pct(Decimal("85.25")) == "85.3%"
    assert numbers.ratio_pct(0.5) == "50%"
    assert numbers.number(Decimal("-0.001")) == "0"
    assert numbers.number(None) == numbers.wan(None) == numbers.money("") == "—"
    assert numbers.number("abc") == "—"


def test_filters_in_a_template() -> None:
    html = Template(
        "{% load zs %}{{ a|wan }}|{{ a|money }}|{{ b|mu }}|{{ c|num:0 }}|{{ d|pct }}|{{ e|num }}"
    ).render(Context({"a": Decimal("1274300"), "b": Decimal("1.5000"), "c": 12345.6, "d": 3, "e": None}))
    assert html == "1,274,300 万元|127.43 亿元|1.5 亩|12,346|3%|—"


def _reference(value: Decimal, places: int) -> str:
    """Plainly: round half-up, split the integer part into groups of three, strip trailing zeros."""
    q = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    frac = frac.rstrip("0")
    text = ",".join(groups) + (f".{frac}" if frac else "")
    return "0" if text == "0" else sign + text


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=4),
)
def test_number_matches_a_plain_reference(value: Decimal, places: int) -> None:
    assert numbers.number(value, places) == _reference(value, places)
    # the figure reads back as the rounded value
    assert Decimal(numbers.number(value, places).replace(",", "")) == value.quantize(
        Decimal(1).scaleb(-places), ROUND_HALF_UP
    )
