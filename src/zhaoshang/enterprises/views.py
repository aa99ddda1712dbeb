from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.core import audit, imports, industries
from zhaoshang.core.exports import export_response, wants_export
from zhaoshang.core.http import Request
from zhaoshang.core.lists import render_list
from zhaoshang.core.roles import Action
from zhaoshang.core.versioning import StaleEdit
from zhaoshang.core.views_helpers import requires
from zhaoshang.enterprises import selectors, services
from zhaoshang.enterprises.filters import EnterpriseFilter
from zhaoshang.enterprises.forms import EnterpriseForm, YearForm
from zhaoshang.enterprises.models import FIGURES, Enterprise, EnterpriseYear
from zhaoshang.enterprises.views_accounts import awaits_enterprise, enterprise_box
from zhaoshang.org.views import _add_errors

FIGURE_LABELS = {name: str(EnterpriseYear._meta.get_field(name).verbose_name) for name in FIGURES}


def enterprise_list(request: Request) -> HttpResponse:
    principal = request.principal
    listing = EnterpriseFilter.for_request(request)
    if wants_export(request):
        importer = imports.importer_for(
            "enterprise-years" if request.GET.get("sheet") == "years" else "enterprises"
        )
        return export_response(
            request,
            sheet=importer.sheet_for(principal, writable=False),
            records=importer.export_records(principal, request.GET),
            applied=listing.applied(),
            target_type="enterprises.enterprise",
        )
    context = {
        "can_edit": principal.can(Action.EDIT_BUSINESS),
        "awaits_enterprise": awaits_enterprise(principal),
    }
    return render_list(request, "enterprises/list.html", "enterprises/_table.html", listing, context)


def _chart(years: list[EnterpriseYear]) -> str:
    """The yearly figures as ECharts series: missing years stay gaps, not zeros."""

    def series(name: str) -> list[float | None]:
        return [float(getattr(y, name)) if getattr(y, name) is not None else None for y in years]

    return json.dumps(
        {
            "years": [str(y.year) for y in years],
            "output_value": series("output_value"),
            "revenue": series("revenue"),
            "tax": series("tax"),
            "value_added": series("value_added"),
        }
    )


def enterprise_detail(request: Request, pk: int) -> HttpResponse:
    return _detail(request, selectors.enterprise_for_page(request.principal, pk))


def _detail(request: Request, enterprise: Enterprise, year_form: YearForm | None = None) -> HttpResponse:
    """The enterprise page; a refused year's figures come back bound, so nothing typed is lost."""
    principal = request.principal
    years = list(enterprise.years.all())
    context = {
        "e": enterprise,
        "years": years,
        "figure_labels": FIGURE_LABELS,
        "rows": [(FIGURE_LABELS[name], [getattr(y, name) for y in years]) for name in FIGURES],
        "chart": _chart(years),
        "can_edit": selectors.can_edit(principal, enterprise),
        "phone": selectors.contact_phone(principal, enterprise),
        "accounts": enterprise_box(request, enterprise),
        "history": audit.history(enterprise) if principal.can(Action.VIEW_RECORD_HISTORY) else [],
        "year_form": year_form or YearForm(),
        "land_total": enterprise.land_total_mu,
        "industry_path": " › ".join(i.label for i in industries.lineage(enterprise.industry_code)),
        # 亩均评价 results reach the enterprise through the reverse relation; superseded versions are
        # kept for the record but not shown here.
        "evaluations": enterprise.evaluation_results.select_related("run")  # type: ignore[attr-defined]
        .exclude(run__status="superseded")
        .order_by("-run__year", "-run__version"),
    }
    return render(request, "enterprises/detail.html", context)


@requires(Action.EDIT_BUSINESS)
def enterprise_create(request: Request) -> HttpResponse:
    principal = request.principal
    form = EnterpriseForm(
        request.POST or None, towns=selectors.towns(principal), parks=selectors.parks(principal)
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data.get(k) for k in services.EDITABLE}
        try:
            enterprise = services.enterprise_create(
                by=principal,
                uscc_code=form.cleaned_data["uscc"],
                data=data,
                qualifications=form.cleaned_data["qualifications"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已登记企业 {enterprise.name}。")
            return redirect("enterprise-detail", pk=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "title": "登记企业"})


@requires(Action.EDIT_BUSINESS)
def enterprise_edit(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    enterprise = selectors.enterprise_for_page(principal, pk)
    if not selectors.can_edit(principal, enterprise):
        raise PermissionDenied("该企业不在您的职责范围内。")
    form = EnterpriseForm(
        request.POST or None,
        instance=Enterprise.objects.get(pk=pk),
        towns=selectors.towns(principal),
        parks=selectors.parks(principal),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data.get(k) for k in services.EDITABLE}
        try:
            changed = services.enterprise_update(
                by=principal,
                enterprise=enterprise,
                data=data,
                reason=form.cleaned_data["reason"],
                qualifications=form.cleaned_data["qualifications"],
                version=form.read_version,
            )
        except StaleEdit as exc:
            form.refused_as_stale(exc)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已保存：修改了 {len(changed)} 项。")
            return redirect("enterprise-detail", pk=pk)
    return render(
        request, "enterprises/form.html", {"form": form, "title": f"修改 {enterprise.name}", "e": enterprise}
    )


@require_POST
@requires(Action.EDIT_BUSINESS)
def year_save(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    enterprise = selectors.enterprise_for_page(principal, pk)
    form = YearForm(request.POST)
    if not form.is_valid():
        # Shown again bound, with each refused field's message: the other figures typed stay.
        return _detail(request, enterprise, year_form=form)
    data = {k: form.cleaned_data.get(k) for k in FIGURES}
    try:
        services.year_save(by=principal, enterprise=enterprise, year=form.cleaned_data["year"], data=data)
    except ValidationError as exc:
        _add_errors(form, exc)
        return _detail(request, enterprise, year_form=form)
    messages.success(request, f"已保存 {form.cleaned_data['year']} 年度指标。")
    return redirect("enterprise-detail", pk=pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def enterprise_status(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    enterprise = selectors.enterprise_for_page(principal, pk)
    try:
        services.enterprise_set_status(
            by=principal,
            enterprise=enterprise,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "经营状态已变更。")
    return redirect("enterprise-detail", pk=pk)
