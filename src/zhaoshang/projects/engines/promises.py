"""履约: what a project promised at signing against what it achieved. Pure: no Django.

The promise is frozen when the project signs (intensity, tax per 亩, output, start and production
dates). The achieved figures come from the project's own dates, its fixed-asset funds in place and,
once it produces, its enterprise's yearly figures and 亩均 evaluation. Each shortfall names the
promise, the figure achieved and the gap, so a unit can read why a project is not fulfilling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


@dataclass(frozen=True)
class Promise:
    intensity: Decimal | None = None  # 万元/亩: contract amount over the land asked for
    tax_per_mu: Decimal | None = None  # 万元/亩·年
    output: Decimal | None = None  # 万元 a year
    start: dt.date | None = None
    production: dt.date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            k: (None if v is None else str(v) if isinstance(v, Decimal) else v.isoformat())
            for k, v in vars(self).items()
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Promise:
        def number(key: str) -> Decimal | None:
            return None if data.get(key) in (None, "") else Decimal(str(data[key]))

        def day(key: str) -> dt.date | None:
            return None if not data.get(key) else dt.date.fromisoformat(data[key])

        return cls(
            number("intensity"), number("tax_per_mu"), number("output"), day("start"), day("production")
        )


@dataclass(frozen=True)
class Achieved:
    start: dt.date | None = None
    production: dt.date | None = None
    full_output: dt.date | None = None
    intensity: Decimal | None = None  # fixed-asset funds in place over land supplied
    tax_per_mu: Decimal | None = None  # from the latest published 亩均 evaluation after production
    output: Decimal | None = None  # the latest full year after production
    figures_year: int | None = None


@dataclass(frozen=True)
class Shortfall:
    key: str
    message: str


def ratio(top: Decimal | None, bottom: Decimal | None) -> Decimal | None:
    if top is None or bottom is None or bottom <= 0:
        return None
    return top / bottom


def promise_at_signing(
    contract_amount: Decimal | None,
    land_mu: Decimal | None,
    promised_tax: Decimal | None,
    promised_output: Decimal | None,
    start: dt.date | None,
    production: dt.date | None,
) -> Promise:
    return Promise(
        ratio(contract_amount, land_mu), ratio(promised_tax, land_mu), promised_output, start, production
    )


def _n(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP).normalize():f}"


def _late(
    key: str, what: str, promised: dt.date | None, actual: dt.date | None, today: dt.date
) -> list[Shortfall]:
    if promised is None:
        return []
    if actual is None and today > promised:
        return [
            Shortfall(
                key, f"约定 {promised:%Y-%m-%d} 前{what}，至今未{what}（已逾期 {(today - promised).days} 天）"
            )
        ]
    if actual is not None and actual > promised:
        return [
            Shortfall(
                key,
                f"约定 {promised:%Y-%m-%d} 前{what}，实际 {actual:%Y-%m-%d}（晚 {(actual - promised).days} 天）",
            )
        ]
    return []


def shortfalls(promise: Promise, achieved: Achieved, today: dt.date) -> list[Shortfall]:
    """Every promise not kept so far.

    Tax and output are judged on full years after the project produces; intensity once it reaches
    full output, when the investment should all be in place.
    """
    out = _late("start", "开工", promise.start, achieved.start, today)
    out += _late("production", "投产", promise.production, achieved.production, today)
    if achieved.production is None:
        return out
    checks = (
        ("intensity", "投资强度", "万元/亩", promise.intensity, achieved.intensity),
        ("tax_per_mu", "亩均税收", "万元/亩", promise.tax_per_mu, achieved.tax_per_mu),
        ("output", "年产值", "万元", promise.output, achieved.output),
    )
    for key, label, unit, promised, actual in checks:
        if promised is None or actual is None or actual >= promised:
            continue
        if key == "intensity" and achieved.full_output is None:
            continue
        gap = (promised - actual) / promised * 100
        year = f"（{achieved.figures_year} 年）" if key != "intensity" and achieved.figures_year else ""
        out.append(
            Shortfall(
                key, f"{label}承诺 {_n(promised)} {unit}，实际{year} {_n(actual)} {unit}，差 {_n(gap)}%"
            )
        )
    return out
