"""项目绩效: the unit figures (履约率, 开工率, 投产率, 资金到位率, land use, tax) and the promises not kept."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhaoshang.core.exports import audited_download, wants_export
from zhaoshang.core.http import Request
from zhaoshang.core.xlsx import workbook_of
from zhaoshang.projects import selectors
from zhaoshang.projects.engines.lifecycle import STAGE_LABELS, Stage
from zhaoshang.projects.engines.metrics import Figures

FIGURE_HEADERS = [
    "单位",
    "新签约项目（个）",
    "合同金额（万元）",
    "到位资金（万元）",
    "资金到位率（%）",
    "开工（个）",
    "开工率（%）",
    "投产（个）",
    "投产率（%）",
    "履约（个）",
    "履约率（%）",
    "供地（亩）",
    "已用地（亩）",
    "土地利用率（%）",
    "当年到位资金（万元）",
    "投产项目当年税收（万元）",
]
SHORTFALL_HEADERS = ["项目", "乡镇", "园区", "牵头单位", "包抓领导", "签约日期", "阶段", "未履约事项"]


def _line(f: Figures) -> list[Any]:
    return [
        f.unit,
        f.signed,
        f.contract_amount,
        f.funds,
        f.funding_rate,
        f.started,
        f.start_rate,
        f.producing,
        f.production_rate,
        f.fulfilling,
        f.fulfilment_rate,
        f.land_supplied,
        f.land_used,
        f.land_use_rate,
        f.funds_in_year,
        f.tax_in_year,
    ]


def _year(request: Request) -> int:
    this = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this))
    except ValueError:
        return this
    return year if 2000 <= year <= this else this


def project_figures(request: Request) -> HttpResponse:
    principal = request.principal
    year = _year(request)
    by = request.GET.get("by") if request.GET.get("by") in selectors.UNIT_KEYS else "town"
    units, total, found = selectors.unit_figures(principal, year, by)
    # The list that goes with the year's 履约率: that year's signings that fall short.
    falling_short = [p for p in found if p.shortfalls and p.project["signed_on"].year == year]
    if wants_export(request):
        tables = [
            (f"{year}年分单位", FIGURE_HEADERS, [_line(f) for f in [*units, total]]),
            ("未履约项目", SHORTFALL_HEADERS, [_shortfall_line(p) for p in falling_short]),
        ]
        return audited_download(
            request,
            data=workbook_of(tables),
            title=f"{year} 年项目绩效",
            applied=[("年度", str(year)), ("统计口径", selectors.UNIT_KEYS[by][1])],
            target_type="projects.project",
            filename=f"项目绩效-{year}",
        )
    this = timezone.localdate().year
    context = {
        "year": year,
        "years": list(range(this, this - 8, -1)),
        "by": by,
        "by_choices": [(key, label) for key, (_field, label) in selectors.UNIT_KEYS.items()],
        "by_label": selectors.UNIT_KEYS[by][1],
        "units": units,
        "total": total,
        "falling_short": falling_short[:500],
        "falling_short_count": len(falling_short),
        "chart": {
            "units": [f.unit for f in units],
            "start_rate": [_number(f.start_rate) for f in units],
            "fulfilment_rate": [_number(f.fulfilment_rate) for f in units],
            "funding_rate": [_number(f.funding_rate) for f in units],
        },
    }
    return render(request, "projects/figures.html", context)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _shortfall_line(p: selectors.Performance) -> list[Any]:
    v = p.project
    return [
        v["name"],
        v["town__name"],
        v["park__name"] or "",
        v["lead_unit__name"],
        v["responsible_leader__display_name"] or "",
        v["signed_on"],
        STAGE_LABELS[Stage(v["stage"])],
        "；".join(s.message for s in p.shortfalls),
    ]
