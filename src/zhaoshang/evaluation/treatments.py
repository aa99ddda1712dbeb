"""要素差别化: what a grade means for one enterprise, from the scheme's table. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zhaoshang.evaluation.method import TREATMENT_BASES, Method, Treatment

FOUR = Decimal("0.0001")
BASE_FIGURE = {"electricity_kwh": "electricity_10k_kwh", "land_m2": "land"}


@dataclass(frozen=True)
class Measure:
    lever: str
    measure: str
    direction: str
    years_in_a_row: int
    rate: Decimal | None = None
    rate_unit: str = ""
    base_label: str = ""
    base_value: Decimal | None = None
    amount: Decimal | None = None  # 万元 a year: a surcharge to pay, or a relief granted


def years_in_a_row(year: int, grade: str, grades: tuple[str, ...], history: Mapping[int, str]) -> int:
    """How many consecutive years up to `year` the enterprise was in one of `grades`."""
    if grade not in grades:
        return 0
    count, y = 1, year - 1
    while history.get(y) in grades:
        count, y = count + 1, y - 1
    return count


def _measure(t: Treatment, streak: int, figures: Mapping[str, float | None]) -> Measure:
    if not t.rates:
        return Measure(t.lever, t.measure, t.direction, streak)
    rate = t.rates[min(streak, len(t.rates)) - 1]
    base_label, rate_unit, factor = TREATMENT_BASES[t.base]
    raw = figures.get(BASE_FIGURE[t.base])
    if raw is None:
        return Measure(t.lever, t.measure, t.direction, streak, rate, rate_unit, base_label)
    base = Decimal(str(raw))
    amount = (rate * base * factor * t.share).quantize(FOUR, rounding=ROUND_HALF_UP)
    return Measure(t.lever, t.measure, t.direction, streak, rate, rate_unit, base_label, base, amount)


def measures(
    method: Method, year: int, grade: str, history: Mapping[int, str], figures: Mapping[str, float | None]
) -> list[Measure]:
    """The measures the table gives this grade; rates follow the years in a row in those grades.

    `history` maps earlier years to the grade published for them; `figures` holds the year's
    figures by name, land included, in their stored units (万kWh, 亩).
    """
    return [
        _measure(t, years_in_a_row(year, grade, t.grades, history), figures)
        for t in method.treatments
        if grade in t.grades
    ]
