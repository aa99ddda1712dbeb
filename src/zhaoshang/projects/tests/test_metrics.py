"""Project figures per unit (DOMAIN.md §2.2): a hand-worked county and a naive reference."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhaoshang.projects.engines.metrics import Figures, ProjectRow, by_unit, share

D = dt.date
FAST = settings(max_examples=200, deadline=None)
YEAR = 2024


@pytest.mark.parametrize(
    ("top", "bottom", "expected"),
    [
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        (1, 16, Decimal("6.3")),  # 6.25: half up
        (Decimal("4500"), Decimal("15000"), Decimal("30.0")),
        (0, 5, Decimal("0.0")),
        (7, 5, Decimal("140.0")),  # funds beyond the contract are shown as they are
        (3, 0, None),
        (Decimal(3), Decimal("0.0000"), None),
        (None, 5, None),
        (3, None, None),
    ],
)
def test_share_is_a_percentage_to_one_decimal(
    top: Decimal | int | None, bottom: Decimal | int | None, expected: Decimal | None
) -> None:
    assert share(top, bottom) == expected


def _row(unit: str, signed: dt.date | None, **kw: Any) -> ProjectRow:
    flags = {"dropped": False, "started": False, "producing": False, "fulfilling": False}
    return ProjectRow(unit, signed, **{**flags, **kw})


ROWS = [
    _row(
        "城关镇",
        D(2024, 3, 1),
        started=True,
        producing=True,
        fulfilling=True,
        contract_amount=Decimal(10000),
        funds_to_date=Decimal(4000),
        funds_in_year=Decimal(3000),
        land_supplied=Decimal(50),
        tax_in_year=Decimal(200),
    ),
    _row(
        "城关镇",
        D(2024, 8, 1),
        contract_amount=Decimal(5000),
        funds_to_date=Decimal(500),
        funds_in_year=Decimal(500),
        land_supplied=Decimal(20),
    ),
    # Signed the year before: outside the 2024 cohort, but its 2024 funds and tax count.
    _row(
        "城关镇",
        D(2023, 5, 1),
        started=True,
        producing=True,
        fulfilling=True,
        contract_amount=Decimal(8000),
        funds_to_date=Decimal(8000),
        funds_in_year=Decimal(1000),
        land_supplied=Decimal(30),
        tax_in_year=Decimal(150),
    ),
    # Dropped after starting: still signed and started, never fulfilling; not producing, so its
    # enterprise's tax is not the project's.
    _row(
        "经开区",
        D(2024, 1, 10),
        dropped=True,
        started=True,
        fulfilling=True,
        contract_amount=Decimal(2000),
        funds_to_date=Decimal(100),
        funds_in_year=Decimal(100),
        land_supplied=Decimal(10),
        tax_in_year=Decimal(50),
    ),
    _row("经开区", None, funds_in_year=Decimal(0)),  # in talks
]


def _counts(f: Figures) -> tuple[Decimal | int, ...]:
    return (
        f.signed,
        f.contract_amount,
        f.funds,
        f.started,
        f.producing,
        f.fulfilling,
        f.land_supplied,
        f.land_used,
        f.funds_in_year,
        f.tax_in_year,
    )


def _rates(f: Figures) -> tuple[Decimal | None, ...]:
    return (f.fulfilment_rate, f.start_rate, f.production_rate, f.funding_rate, f.land_use_rate)


def test_hand_worked_county() -> None:
    units, total = by_unit(ROWS, YEAR)
    assert [u.unit for u in units] == ["城关镇", "经开区"]
    town, park = units
    # 城关镇: two signed in 2024 (10000 + 5000 万元, funds 4000 + 500, land 50 + 20 亩, only the first
    # started, so 50 亩 used); funds this year 3000 + 500 + 1000; tax 200 + 150 from producing rows.
    assert _counts(town) == (2, 15000, 4500, 1, 1, 1, 70, 50, 4500, 350)
    # 1/2 = 50 %; 4500/15000 = 30 %; 50/70 = 71.43 % → 71.4.
    assert _rates(town) == (
        Decimal("50.0"),
        Decimal("50.0"),
        Decimal("50.0"),
        Decimal("30.0"),
        Decimal("71.4"),
    )
    # 经开区: the dropped project counts as signed and started but not fulfilling; its tax is left out.
    assert _counts(park) == (1, 2000, 100, 1, 0, 0, 10, 10, 100, 0)
    assert _rates(park) == (
        Decimal("0.0"),
        Decimal("100.0"),
        Decimal("0.0"),
        Decimal("5.0"),
        Decimal("100.0"),
    )
    assert total.unit == "全县合计"
    assert _counts(total) == (3, 17000, 4600, 2, 1, 1, 80, 60, 4600, 350)
    # 1/3 = 33.3 %; 2/3 = 66.7 %; 4600/17000 = 27.06 % → 27.1; 60/80 = 75 %.
    assert _rates(total) == (
        Decimal("33.3"),
        Decimal("66.7"),
        Decimal("33.3"),
        Decimal("27.1"),
        Decimal("75.0"),
    )
    assert town.projects == [] and total.projects == []


def test_a_unit_without_signings_has_no_rates() -> None:
    units, total = by_unit(ROWS, 2025)
    assert all(_rates(f) == (None,) * 5 for f in (*units, total))
    assert [u.funds_in_year for u in units] == [4500, 100]  # the year's money still counts


def test_units_by_another_key() -> None:
    units, total = by_unit(
        ROWS, YEAR, key=lambda r: "新签" if r.signed_on and r.signed_on.year == YEAR else "其他"
    )
    assert [(u.unit, u.signed) for u in units] == [("其他", 0), ("新签", 3)]
    assert total.signed == 3


def test_no_rows() -> None:
    units, total = by_unit([], YEAR)
    assert units == [] and _counts(total) == (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


# --- against a naive reference -----------------------------------------------------------------

AMOUNT = st.decimals(min_value=0, max_value=1_000_000, places=4)


@st.composite
def rows(draw: st.DrawFn) -> ProjectRow:
    return ProjectRow(
        unit=draw(st.sampled_from(["城关镇", "经开区", "临港镇", "（未入园区）"])),
        signed_on=draw(st.none() | st.dates(min_value=D(2022, 1, 1), max_value=D(2026, 12, 31))),
        dropped=draw(st.booleans()),
        started=draw(st.booleans()),
        producing=draw(st.booleans()),
        fulfilling=draw(st.booleans()),
        contract_amount=draw(AMOUNT),
        funds_to_date=draw(AMOUNT),
        funds_in_year=draw(AMOUNT),
        land_supplied=draw(st.decimals(min_value=0, max_value=5000, places=4)),
        tax_in_year=draw(AMOUNT),
    )


def reference(rows: list[ProjectRow], year: int, unit: str | None) -> tuple[Decimal | int, ...]:
    """Filter and sum, field by field, for one unit (None: the whole county)."""
    mine = [r for r in rows if unit is None or r.unit == unit]
    new = [r for r in mine if r.signed_on is not None and r.signed_on.year == year]
    return (
        len(new),
        sum(r.contract_amount for r in new),
        sum(r.funds_to_date for r in new),
        len([r for r in new if r.started]),
        len([r for r in new if r.producing]),
        len([r for r in new if r.fulfilling and not r.dropped]),
        sum(r.land_supplied for r in new),
        sum(r.land_supplied for r in new if r.started),
        sum(r.funds_in_year for r in mine),
        sum(r.tax_in_year for r in mine if r.producing),
    )


@FAST
@given(st.lists(rows(), max_size=25), st.integers(2022, 2026))
def test_by_unit_matches_the_reference(found: list[ProjectRow], year: int) -> None:
    units, total = by_unit(found, year)
    assert [u.unit for u in units] == sorted({r.unit for r in found})
    for figures in units:
        assert _counts(figures) == reference(found, year, figures.unit)
    assert _counts(total) == reference(found, year, None)


@FAST
@given(st.lists(rows(), max_size=25), st.integers(2022, 2026))
def test_the_total_is_the_sum_of_the_units(found: list[ProjectRow], year: int) -> None:
    units, total = by_unit(found, year)
    for i, value in enumerate(_counts(total)):
        assert value == sum(_counts(u)[i] for u in units)


@FAST
@given(st.lists(rows(), max_size=25), st.integers(2022, 2026))
def test_rates_exist_only_with_a_denominator_and_counts_stay_within_100(
    found: list[ProjectRow], year: int
) -> None:
    units, total = by_unit(found, year)
    for f in (*units, total):
        for rate in (f.fulfilment_rate, f.start_rate, f.production_rate):
            assert (rate is None) == (f.signed == 0)
            assert rate is None or Decimal(0) <= rate <= Decimal(100)
        assert (f.funding_rate is None) == (f.contract_amount == 0)
        assert (f.land_use_rate is None) == (f.land_supplied == 0)
        assert f.land_use_rate is None or Decimal(0) <= f.land_use_rate <= Decimal(100)
        assert f.funding_rate is None or f.funding_rate >= 0
        assert max(f.started, f.producing, f.fulfilling) <= f.signed
