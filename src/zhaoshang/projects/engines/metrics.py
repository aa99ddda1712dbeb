"""Project figures per unit and year, as DOMAIN.md §2.2 defines them. Pure: no Django.

For the projects newly signed in a year: 履约率 = fulfilling ÷ signed; 开工率 = started ÷ signed;
投产率 = producing ÷ signed; 资金到位率 = funds in place ÷ contract amount; land use = 亩 of started
projects ÷ 亩 supplied. Besides the cohort, the year's funds in place (all projects) and the tax paid
in the year by producing projects' enterprises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)


def share(top: Decimal | int | None, bottom: Decimal | int | None) -> Decimal | None:
    """A percentage to one decimal, or None when there is nothing to divide by."""
    if top is None or not bottom:
        return None
    return (Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class ProjectRow:
    unit: str  # the unit the row is counted under (a town, park or lead unit's name)
    signed_on: dt.date | None
    dropped: bool
    started: bool
    producing: bool
    fulfilling: bool
    contract_amount: Decimal = ZERO
    funds_to_date: Decimal = ZERO
    funds_in_year: Decimal = ZERO
    land_supplied: Decimal = ZERO
    tax_in_year: Decimal = ZERO


@dataclass
class Figures:
    unit: str
    signed: int = 0
    contract_amount: Decimal = ZERO
    funds: Decimal = ZERO
    started: int = 0
    producing: int = 0
    fulfilling: int = 0
    land_supplied: Decimal = ZERO
    land_used: Decimal = ZERO
    funds_in_year: Decimal = ZERO
    tax_in_year: Decimal = ZERO
    projects: list[ProjectRow] = field(default_factory=list, repr=False)

    @property
    def fulfilment_rate(self) -> Decimal | None:
        return share(self.fulfilling, self.signed)

    @property
    def start_rate(self) -> Decimal | None:
        return share(self.started, self.signed)

    @property
    def production_rate(self) -> Decimal | None:
        return share(self.producing, self.signed)

    @property
    def funding_rate(self) -> Decimal | None:
        return share(self.funds, self.contract_amount)

    @property
    def land_use_rate(self) -> Decimal | None:
        return share(self.land_used, self.land_supplied)

    def add(self, row: ProjectRow, year: int) -> None:
        self.funds_in_year += row.funds_in_year
        if row.producing:
            self.tax_in_year += row.tax_in_year
        if row.signed_on is None or row.signed_on.year != year:
            return
        self.signed += 1
        self.contract_amount += row.contract_amount
        self.funds += row.funds_to_date
        self.started += row.started
        self.producing += row.producing
        self.fulfilling += row.fulfilling and not row.dropped
        self.land_supplied += row.land_supplied
        self.land_used += row.land_supplied if row.started else ZERO


def by_unit(
    rows: Iterable[ProjectRow], year: int, key: Callable[[ProjectRow], str] = lambda r: r.unit
) -> tuple[list[Figures], Figures]:
    """Figures per unit (in name order) and the county total."""
    units: dict[str, Figures] = {}
    total = Figures("全县合计")
    for row in rows:
        name = key(row)
        units.setdefault(name, Figures(name)).add(row, year)
        total.add(row, year)
    return [units[name] for name in sorted(units)], total
