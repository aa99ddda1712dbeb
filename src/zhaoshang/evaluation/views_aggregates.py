"""The 园区与行业 tab: this year's figures by park, town and industry, and each one's trend over
the published years (亩均税收, 亩均增加值, A、B 类占比) as a table and a line chart."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from zhaoshang.core.http import Request
from zhaoshang.evaluation import selectors
from zhaoshang.evaluation.models import Evaluation

TREND_MEASURES = {
    "tax_per_mu": "亩均税收（万元/亩）",
    "value_added_per_mu": "亩均增加值（万元/亩）",
    "top_share": "A、B 类占比（%）",
}


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _pick(request: Request, name: str, options: dict[str, str], default: str) -> str:
    value = request.GET.get(name, "")
    return value if value in options else default


def _chart(by: list[Any]) -> dict[str, Any]:
    return {
        "labels": [a.label for a in by],
        "tax_per_mu": [_float(a.tax_per_mu) for a in by],
        "value_added_per_mu": [_float(a.value_added_per_mu) for a in by],
    }


def trend_context(request: Request, run: Evaluation) -> dict[str, Any]:
    """The trend of one grouping (?trend=park|town|industry) and one measure (?measure=…) for the chart."""
    by = _pick(request, "trend", selectors.AGGREGATE_BY, "park")
    measure = _pick(request, "measure", TREND_MEASURES, "tax_per_mu")
    years, groups = selectors.trends(request.principal, run, by)
    rows = [(label, [by_year.get(y) for y in years]) for label, by_year in groups]
    data: dict[str, Any] = {"years": [f"{y} 年" for y in years]}
    series = []
    for n, (label, cells) in enumerate(rows):
        data[f"s{n}"] = [_float(getattr(a, measure)) if a else None for a in cells]
        data[f"n{n}"] = label
        series.append({"key": f"s{n}", "name_key": f"n{n}", "symbolSize": 6})
    return {
        "trend_by": by,
        "trend_measure": measure,
        "trend_choices": selectors.AGGREGATE_BY,
        "trend_measures": TREND_MEASURES,
        "trend_years": years,
        "trend_rows": rows,
        "trend_chart": data,
        "trend_series": json.dumps(series),  # ASCII keys only: the names come from the data
    }


def aggregates_context(request: Request, run: Evaluation) -> dict[str, Any]:
    principal = request.principal
    by_park = selectors.aggregates(principal, run, "park")
    by_town = selectors.aggregates(principal, run, "town")
    return {
        "by_park": by_park,
        "park_chart": _chart(by_park),
        "by_town": by_town,
        "by_industry": selectors.aggregates(principal, run, "industry"),
        "scope_total": selectors.total(by_park, f"{run.unit.name}合计（您可见的企业）"),
        **trend_context(request, run),
    }
