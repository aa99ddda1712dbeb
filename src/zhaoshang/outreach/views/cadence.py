"""周外出、月会商、季签约: who is below the county's norms, the teams and towns with no chamber or
association, the heads' self-reported time on recruiting, and the coordinator's form for the norms
and the recognising unit."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import put_on, requires, submit
from zhaoshang.org import references
from zhaoshang.org.models import Unit
from zhaoshang.outreach import services
from zhaoshang.outreach.forms.cadence import NormFormSet, SettingsForm, TimeForm
from zhaoshang.outreach.models import CadenceNorm
from zhaoshang.outreach.selectors import cadence as reads

# Unit kinds whose heads report their time on recruiting (speech 000: 乡镇党政一把手、县级各部门主要负责人).
REPORTING_KINDS = ("town", "department", "team", "park")


def _county(request: Request) -> Unit:
    """The county the reader works in: the jurisdiction of their first unit."""
    mine = Unit.objects.filter(pk__in=request.principal.unit_ids).order_by("depth", "path").first()
    if mine is None:
        raise PermissionDenied("您不属于任何单位。")
    return mine if mine.kind.is_jurisdiction else Unit.objects.get(path=mine.jurisdiction_path)


def _day(request: Request) -> dt.date:
    with contextlib.suppress(ValueError, TypeError):
        return dt.date.fromisoformat(request.GET.get("on", ""))
    return timezone.localdate()


@requires(Action.VIEW_PIPELINE)
def cadence(request: Request) -> HttpResponse:
    county = _county(request)
    today = _day(request)
    rows = reads.cadence(county, today)
    context = {
        "county": county,
        "today": today,
        "rows": rows,
        "below": sum(r.below for r in rows),
        "no_chamber": reads.units_without_chamber(county),
        "can_configure": request.principal.can(Action.CONFIGURE_RULES),
    }
    return render(request, "outreach/cadence/cadence.html", context)


def _norm_initial(county: Unit) -> list[dict[str, Any]]:
    return [
        {"subject": n.subject, "activity": n.activity, "period": n.period, "minimum": n.minimum}
        for n in CadenceNorm.objects.filter(county=county).order_by("subject", "activity", "period")
        if n.minimum > 0
    ]


@requires(Action.CONFIGURE_RULES)
def norms(request: Request) -> HttpResponse:
    principal = request.principal
    county = references.configured_jurisdiction(principal)
    formset = NormFormSet(
        request.POST or None,
        initial=_norm_initial(county),
        prefix="norms",
        form_kwargs={"subjects": services.subjects()},
    )
    current = services.recognising_unit(county)
    settings_form = SettingsForm(
        request.POST or None,
        units=Unit.objects.visible_to(principal)
        .filter(path__startswith=county.path, is_active=True)
        .order_by("path"),
        initial={"recognising_unit": current},
        prefix="settings",
    )
    if request.method == "POST" and formset.is_valid() and settings_form.is_valid():
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data]
        try:
            n = services.norms_save(principal, county, rows)
            services.settings_save(
                principal, county, recognising_unit=settings_form.cleaned_data["recognising_unit"]
            )
        except ValidationError as exc:
            put_on(settings_form, exc)
        else:
            messages.success(request, f"已保存招商工作频次要求（{n} 项变更）。")
            return redirect("outreach-cadence")
    bad = request.method == "POST"
    context = {"formset": formset, "settings_form": settings_form}
    return render(request, "outreach/cadence/norms.html", context, status=400 if bad else 200)


@requires(Action.VIEW_PIPELINE)
def recruiting_time(request: Request) -> HttpResponse:
    """The heads' days on recruiting for a month, against the 80% norm; self-reported, and said so."""
    principal = request.principal
    county = _county(request)
    month = timezone.localdate().replace(day=1)
    with contextlib.suppress(ValueError, TypeError):
        month = dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    units = references.writable_units(principal).filter(kind__code__in=REPORTING_KINDS)
    form = None
    if principal.can(Action.EDIT_BUSINESS) and units.exists():
        initial = {"month": month.strftime("%Y-%m"), "unit": units.first() if units.count() == 1 else None}
        form = TimeForm(request.POST or None, units=units, initial=initial)
        if request.method == "POST":
            filed = submit(form, lambda d: services.time_file(principal, d.pop("unit"), d.pop("month"), **d))
            if filed is not None:
                messages.success(request, f"已填报{filed.unit.name}{filed.month:%Y年%m月}招商时间。")
                return redirect(f"{request.path}?month={filed.month:%Y-%m}")
    elif request.method == "POST":
        raise PermissionDenied("只有单位负责人填报本单位的招商时间。")
    norm = (
        CadenceNorm.objects.filter(county=county, activity="time_share", minimum__gt=0)
        .order_by("minimum")
        .values_list("minimum", flat=True)
        .first()
    )
    rows = []
    for r in reads.time_rows(county, month):
        share = (r.recruiting_days * 100 / r.working_days).quantize(Decimal("0.1"))
        rows.append((r, share, norm is not None and share < norm))
    before = (month - dt.timedelta(days=1)).replace(day=1)
    after = (month + dt.timedelta(days=32)).replace(day=1)
    context = {"rows": rows, "month": month, "before": before, "after": after, "norm": norm, "form": form}
    return render(
        request,
        "outreach/cadence/time.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )


urlpatterns = [
    path("cadence/", cadence, name="outreach-cadence"),
    path("cadence/norms/", norms, name="outreach-norms"),
    path("time/", recruiting_time, name="outreach-time"),
]
