"""The activities at a glance: the month calendar of trips, visits and events, and the region view
(where the trips went and what they brought, as a table and a chart)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import requires
from zhaoshang.outreach.forms.activities import CalendarForm, YearForm
from zhaoshang.outreach.selectors import activities as reads
from zhaoshang.outreach.views.activities_common import TEMPLATES

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]
COLOURS = {"trip": "text-bg-primary", "visit": "text-bg-success", "event": "text-bg-warning"}
SERIES = json.dumps(
    [
        {"key": "trips", "name": "外出（次）"},
        {"key": "leads", "name": "项目线索（个）"},
        {"key": "signed", "name": "签约项目（个）"},
        {"key": "contract", "name": "签约合同金额（万元）", "axis": 1},
    ],
    ensure_ascii=False,
)


def _shift(month: dt.date, by: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + by
    return dt.date(index // 12, index % 12 + 1, 1)


@requires(Action.VIEW_PIPELINE)
def activity_calendar(request: Request) -> HttpResponse:
    principal = request.principal
    form = CalendarForm(
        request.GET or None, units=reads.activity_units(principal), leaders=reads.activity_leaders(principal)
    )
    chosen: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # a bad value (a tampered month or unit) leaves only that choice out
        chosen = form.cleaned_data
    month = (chosen.get("month") or timezone.localdate()).replace(day=1)
    if not 2000 <= month.year <= 2100:
        month = timezone.localdate().replace(day=1)
    unit, leader = chosen.get("unit"), chosen.get("leader")
    kept = request.GET.copy()
    links = {}
    for name, by in (("previous", -1), ("next", 1)):
        kept["month"] = f"{_shift(month, by):%Y-%m}"
        links[name] = kept.urlencode()
    context = {
        "form": form,
        "month": month,
        "weeks": reads.calendar_weeks(principal, month, unit=unit, leader=leader),
        "weekdays": WEEKDAYS,
        "colours": COLOURS,
        "links": links,
        "today": timezone.localdate(),
        "by_leader": leader is not None,
    }
    return render(request, f"{TEMPLATES}/calendar.html", context)


@requires(Action.VIEW_PIPELINE)
def activity_regions(request: Request) -> HttpResponse:
    principal = request.principal
    this_year = timezone.localdate().year
    first = min(reads.first_trip_year(principal) or this_year, this_year)
    years = list(range(this_year, max(first, this_year - 9) - 1, -1))
    form = YearForm(request.GET or None, years=years, initial={"year": this_year})
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else this_year
    rows, total = reads.regions(principal, year)
    context = {
        "form": form,
        "year": year,
        "rows": rows,
        "total": total,
        "chart": reads.region_chart(rows),
        "series": SERIES,
    }
    return render(request, f"{TEMPLATES}/regions.html", context)


urlpatterns = [
    path("calendar/", activity_calendar, name="outreach-calendar"),
    path("regions/", activity_regions, name="outreach-regions"),
]
