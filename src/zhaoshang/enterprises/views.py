from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.core import audit, cached, imports, industries
from zhaoshang.core.exports import export_response, wants_export
from zhaoshang.core.forms import WithdrawForm
from zhaoshang.core.http import Request
from zhaoshang.core.lists import render_list
from zhaoshang.core.numbers import money
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.versioning import StaleEdit
from zhaoshang.core.views_helpers import requires
from zhaoshang.enterprises import qualifications, selectors, services
from zhaoshang.enterprises.filters import EnterpriseFilter
from zhaoshang.enterprises.forms import EnterpriseForm, QualificationForm, YearForm
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
    waiting = awaits_enterprise(principal)
    context = {
        "can_edit": principal.can(Action.EDIT_BUSINESS),
        "awaits_enterprise": waiting,
        "scale_summary": None
        if waiting
        else cached.for_scope("scale-summary", principal, _summary(principal)),
    }
    return render_list(request, "enterprises/list.html", "enterprises/_table.html", listing, context)


def _summary(principal: Principal) -> Callable[[], selectors.ScaleSummary | None]:
    """The latest year's 规上 counts: a count over the whole scope, so kept a few minutes per scope."""

    def build() -> selectors.ScaleSummary | None:
        latest = selectors.latest_year(principal)
        return selectors.scale_summary(principal, latest) if latest else None

    return build


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
    """The enterprise page; `?year=2025` opens that year's figures in the form, to be corrected."""
    enterprise = selectors.enterprise_for_page(request.principal, pk)
    chosen = next((y for y in enterprise.years.all() if str(y.year) == request.GET.get("year")), None)
    if chosen is None:
        return _detail(request, enterprise)
    initial = {name: _typed(getattr(chosen, name)) for name in ("year", *FIGURES, "scale_override")}
    return _detail(request, enterprise, year_form=YearForm(initial=initial))


def _typed(value: object) -> object:
    """A stored amount as a person would type it: 2600.0000 → "2600", 12.5000 → "12.5"."""
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return value


def _detail(
    request: Request,
    enterprise: Enterprise,
    year_form: YearForm | None = None,
    qualification_form: QualificationForm | None = None,
) -> HttpResponse:
    """The enterprise page; a refused form comes back bound, so nothing typed is lost."""
    principal = request.principal
    years = list(enterprise.years.all())
    withdrawn = selectors.withdrawn_years(enterprise)
    held = selectors.held_qualifications(enterprise)
    today = timezone.localdate()
    context = {
        "e": enterprise,
        "years": years,
        "withdrawn_years": withdrawn,
        "held": [(q, q.expiry_note(today)) for q in held],
        "figure_labels": FIGURE_LABELS,
        "rows": [(FIGURE_LABELS[name], [getattr(y, name) for y in years]) for name in FIGURES],
        "chart": _chart(years),
        "can_edit": selectors.can_edit(principal, enterprise),
        "phone": selectors.contact_phone(principal, enterprise),
        "accounts": enterprise_box(request, enterprise),
        "history": audit.history(enterprise, related=[*years, *withdrawn, *held])
        if principal.can(Action.VIEW_RECORD_HISTORY)
        else [],
        "year_form": year_form or YearForm(),
        "qualification_form": qualification_form or QualificationForm(),
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


def _saved_from_page(
    request: Request,
    enterprise: Enterprise,
    form: YearForm | QualificationForm,
    key: str,
    save: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """A form posted from the enterprise page: saved (with its message), or the page shown again with
    the form bound under `key`, each refused field's message beside it and everything typed kept."""
    if form.is_valid():
        try:
            done = save(form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("enterprise-detail", pk=enterprise.pk)
    return _detail(request, enterprise, **{key: form})


@require_POST
@requires(Action.EDIT_BUSINESS)
def year_save(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    enterprise = selectors.enterprise_for_page(principal, pk)

    def save(data: dict[str, Any]) -> str:
        services.year_save(
            by=principal,
            enterprise=enterprise,
            year=data["year"],
            data={k: data.get(k) for k in (*FIGURES, "scale_override")},
            reason=data["reason"],
        )
        return f"已保存 {data['year']} 年度指标。"

    return _saved_from_page(request, enterprise, YearForm(request.POST), "year_form", save)


@requires(Action.EDIT_BUSINESS)
def year_withdraw(request: Request, pk: int, row: int) -> HttpResponse:
    """Withdraw a wrong year with a reason: it stays on the page as 已撤回; no count uses it again."""
    principal = request.principal
    enterprise = selectors.enterprise_for_page(principal, pk)
    if not selectors.can_edit(principal, enterprise):
        raise PermissionDenied("该企业不在您的职责范围内。")
    found = get_object_or_404(EnterpriseYear.objects.filter(enterprise=enterprise), pk=row)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.year_withdraw(by=principal, row=found, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{found.year} 年度指标已撤回，原记录留档，各项统计不再计入。")
            return redirect("enterprise-detail", pk=pk)
    record = f"{found.year} 年度指标（主营业务收入 {money(found.revenue)}，实缴税金 {money(found.tax)}）"
    context = {"e": enterprise, "form": form, "title": f"撤回 {found.year} 年度指标", "record": record}
    return render(request, "enterprises/year_withdraw.html", context)


@require_POST
@requires(Action.EDIT_BUSINESS)
def qualification_save(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    enterprise = selectors.enterprise_for_page(principal, pk)

    def save(data: dict[str, Any]) -> str:
        qualifications.qualification_save(by=principal, enterprise=enterprise, **data)
        return f"已保存资质“{data['qualification'].name}”的认定日期和有效期。"

    form = QualificationForm(request.POST)
    return _saved_from_page(request, enterprise, form, "qualification_form", save)


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
