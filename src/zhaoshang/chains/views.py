"""Pages of the chains app: the chains, a chain's map and gaps, a node, a target company, the five
lists with their exports, and the chief's monthly report."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.chains import filters, selectors, services
from zhaoshang.chains.forms import (
    ConvertForm,
    NodeStatusForm,
    PlaceForm,
    PolicyForm,
    ProblemForm,
    ReportForm,
    TargetMoveForm,
)
from zhaoshang.chains.models import Report
from zhaoshang.core import audit
from zhaoshang.core.exports import export_response, wants_export
from zhaoshang.core.http import Request
from zhaoshang.core.lists import render_list
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import put_on, requires
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org import references


@requires(Action.VIEW_PIPELINE)
def chain_list(request: Request) -> HttpResponse:
    rows = list(selectors.chains(request.principal).order_by("county__path", "sort_order", "pk"))
    outputs = selectors.outputs_by_chain([c.pk for c in rows], selectors.data_year())
    return render(
        request,
        "chains/list.html",
        {"chains": [(c, outputs.get(c.pk)) for c in rows], "year": selectors.data_year()},
    )


@requires(Action.VIEW_PIPELINE)
def chain_detail(request: Request, pk: int) -> HttpResponse:
    chain = selectors.chain_for_page(request.principal, pk)
    facts = selectors.node_facts(chain)
    link = reverse("chain-node", args=[0])
    today = timezone.localdate()
    context = {
        "chain": chain,
        "facts": facts,
        "gaps": selectors.gaps(chain, facts),
        "panorama": selectors.panorama(chain, facts, link),
        "output": selectors.chain_output(chain, selectors.data_year()),
        "year": selectors.data_year(),
        "reports": chain.reports.select_related("filed_by").order_by("-month")[:12],
        "this_month": today.replace(day=1),
        "can_edit": services.may_write(request.principal, chain),
        "print": request.GET.get("print") == "a3",
    }
    return render(request, "chains/detail.html", context)


def _node_page(request: Request, pk: int, **forms: Any) -> HttpResponse:
    principal = request.principal
    node = selectors.node_for_page(principal, pk)
    can_edit = services.may_write(principal, node.chain)
    facts = next(f for f in selectors.node_facts(node.chain) if f.node.pk == node.pk)
    suggested = selectors.suggestions(node) if can_edit else []
    context = {
        "node": node,
        "chain": node.chain,
        "facts": facts,
        "can_edit": can_edit,
        "enterprises": node.enterprises.select_related("enterprise", "enterprise__town").order_by(
            "enterprise__name"
        )[:50],
        "projects": node.projects.select_related("project", "project__town").order_by("project__name"),
        "targets": node.targets.select_related("team", "leader", "project").order_by("status", "name"),
        "status_form": forms.get("status_form") or NodeStatusForm(initial={"status": node.status}),
        "place_form": forms.get("place_form")
        or PlaceForm(choices=Enterprise.objects.filter(pk__in=[e.pk for e in suggested])),
        "suggested": suggested,
    }
    return render(request, "chains/node.html", context, status=400 if forms else 200)


@requires(Action.VIEW_PIPELINE)
def node_detail(request: Request, pk: int) -> HttpResponse:
    return _node_page(request, pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def node_status(request: Request, pk: int) -> HttpResponse:
    node = selectors.node_for_page(request.principal, pk)
    form = NodeStatusForm(request.POST)
    if form.is_valid():
        try:
            services.node_set_status(
                request.principal, node, form.cleaned_data["status"], form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            put_on(form, exc)
        else:
            messages.success(request, f"环节状态已改为“{node.get_status_display()}”。")
            return redirect("chain-node", pk=pk)
    return _node_page(request, pk, status_form=form)


@require_POST
@requires(Action.EDIT_BUSINESS)
def node_place(request: Request, pk: int) -> HttpResponse:
    node = selectors.node_for_page(request.principal, pk)
    suggested = selectors.suggestions(node)
    form = PlaceForm(request.POST, choices=Enterprise.objects.filter(pk__in=[e.pk for e in suggested]))
    if form.is_valid():
        try:
            n = services.place_enterprises(request.principal, node, form.cleaned_data["enterprises"])
        except ValidationError as exc:
            put_on(form, exc)
        else:
            messages.success(request, f"已确认 {n} 家企业在本环节。")
            return redirect("chain-node", pk=pk)
    return _node_page(request, pk, place_form=form)


def _target_page(request: Request, pk: int, **forms: Any) -> HttpResponse:
    principal = request.principal
    target = selectors.target_for_page(principal, pk)
    can_edit = services.may_write(principal, target.chain)
    towns = references.writable_units(principal, "town")
    context = {
        "t": target,
        "chain": target.chain,
        "can_edit": can_edit,
        "move_form": forms.get("move_form") or TargetMoveForm(moves=services.target_moves(target)),
        "convert_form": forms.get("convert_form")
        or ConvertForm(towns=towns, initial={"name": f"{target.name}{target.node.name}项目"}),
        "convertible": target.status in services.CONVERTIBLE,
        "history": audit.history(target) if principal.can(Action.VIEW_RECORD_HISTORY) else [],
    }
    return render(request, "chains/target.html", context, status=400 if forms else 200)


@requires(Action.VIEW_PIPELINE)
def target_detail(request: Request, pk: int) -> HttpResponse:
    return _target_page(request, pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def target_move(request: Request, pk: int) -> HttpResponse:
    target = selectors.target_for_page(request.principal, pk)
    form = TargetMoveForm(request.POST, moves=services.target_moves(target))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.target_move(
                request.principal, target, data["status"], on=data["on"], reason=data["reason"]
            )
        except ValidationError as exc:
            put_on(form, exc)
        else:
            messages.success(request, f"对接状态已改为“{target.get_status_display()}”。")
            return redirect("chain-target", pk=pk)
    return _target_page(request, pk, move_form=form)


@require_POST
@requires(Action.EDIT_BUSINESS)
def target_convert(request: Request, pk: int) -> HttpResponse:
    target = selectors.target_for_page(request.principal, pk)
    form = ConvertForm(request.POST, towns=references.writable_units(request.principal, "town"))
    if form.is_valid():
        try:
            project = services.target_convert(request.principal, target, **form.cleaned_data)
        except ValidationError as exc:
            put_on(form, exc)
        else:
            messages.success(request, f"已转为招商项目：{project.name}。")
            return redirect("chain-target", pk=pk)
    return _target_page(request, pk, convert_form=form)


# --- the five lists ---------------------------------------------------------------------------------

LISTS: dict[str, tuple[str, type[filters.ChainListing], Any, Any]] = {
    "policies": ("政策清单", filters.PolicyListing, filters.POLICY_SHEET, filters.policy_records),
    "problems": ("问题清单", filters.ProblemListing, filters.PROBLEM_SHEET, filters.problem_records),
    "enterprises": (
        "企业清单",
        filters.EnterpriseListing,
        filters.ENTERPRISE_SHEET,
        filters.enterprise_records,
    ),
    "projects": ("项目清单", filters.ProjectListing, filters.PROJECT_SHEET, filters.project_records),
    "targets": ("招商清单", filters.TargetListing, filters.TARGET_SHEET, filters.target_records),
}


def _five(request: Request, pk: int, kind: str, form: Any = None) -> HttpResponse:
    principal = request.principal
    chain = selectors.chain_for_page(principal, pk)
    title, listing_class, sheet, records = LISTS[kind]
    listing = listing_class.for_chain(request, chain)
    if wants_export(request):
        return export_response(
            request,
            sheet=sheet,
            records=records(listing.qs),
            applied=[("产业链", chain.name), *listing.applied()],
            target_type=audit.target_label(chain),
            filename=f"{chain.name}产业链{title}",
        )
    can_edit = services.may_write(principal, chain)
    if form is None and can_edit and kind == "policies":
        form = PolicyForm()
    if form is None and can_edit and kind == "problems":
        form = ProblemForm(units=references.writable_units(principal))
    context = {
        "chain": chain,
        "kind": kind,
        "title": title,
        "lists": [(k, v[0]) for k, v in LISTS.items()],
        "add_form": form,
        "today": timezone.localdate(),
        "year": selectors.data_year(),
        "table_template": f"chains/_{kind}.html",
    }
    return render_list(request, "chains/five.html", f"chains/_{kind}.html", listing, context)


@requires(Action.VIEW_PIPELINE)
def five_list(request: Request, pk: int, kind: str) -> HttpResponse:
    if kind not in LISTS:
        raise Http404
    return _five(request, pk, kind)


@require_POST
@requires(Action.EDIT_BUSINESS)
def five_add(request: Request, pk: int, kind: str) -> HttpResponse:
    chain = selectors.chain_for_page(request.principal, pk)
    form: Any
    if kind == "policies":
        form = PolicyForm(request.POST)
    elif kind == "problems":
        form = ProblemForm(request.POST, units=references.writable_units(request.principal))
    else:
        raise Http404
    if form.is_valid():
        try:
            if kind == "policies":
                services.policy_add(request.principal, chain, **form.cleaned_data)
            else:
                services.problem_raise(request.principal, chain, **form.cleaned_data)
        except ValidationError as exc:
            put_on(form, exc)
        else:
            messages.success(request, "已登记。")
            return redirect("chain-list-of", pk=pk, kind=kind)
    response = _five(request, pk, kind, form)
    response.status_code = 400
    return response


# --- the chief's monthly report -----------------------------------------------------------------------


def _month(value: str) -> dt.date:
    try:
        year, month = (int(x) for x in value.split("-"))
        return dt.date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc


@requires(Action.VIEW_PIPELINE)
def report(request: Request, pk: int, month: str) -> HttpResponse:
    principal = request.principal
    chain = selectors.chain_for_page(principal, pk)
    first = _month(month)
    found = Report.objects.filter(chain=chain, month=first).select_related("filed_by").first()
    runs_chain = services.may_write(principal, chain)
    # A later month's page shows what last month committed; its report is filed when the month comes.
    can_edit = runs_chain and not (found and found.locked) and first <= timezone.localdate().replace(day=1)
    projects = selectors.chain_projects(principal, chain, runs_chain=runs_chain)
    form = None
    if can_edit:
        initial: dict[str, Any] = {}
        if found:
            initial = {k: getattr(found, k) for k in services.REPORT_TEXTS}
            initial["sign"] = [c.project_id for c in found.commitments.all() if c.kind == "sign"]
            initial["land"] = [c.project_id for c in found.commitments.all() if c.kind == "land"]
        form = ReportForm(request.POST or None, projects=projects, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            commitments = [(p, "sign") for p in data["sign"]] + [(p, "land") for p in data["land"]]
            texts = {k: data[k] for k in services.REPORT_TEXTS}
            try:
                services.report_file(principal, chain, first, commitments=commitments, **texts)
            except ValidationError as exc:
                put_on(form, exc)
            else:
                messages.success(request, f"已提交{first:%Y年%m月}月报。")
                return redirect("chain-report", pk=pk, month=month)
    previous = selectors.previous_report(chain, first)
    context = {
        "chain": chain,
        "month": first,
        "report": found,
        "form": form,
        "figures": found.figures if found and found.locked else selectors.report_figures(chain, first),
        "outcomes": selectors.outcomes(found) if found else [],
        "previous": previous,
        "previous_outcomes": selectors.outcomes(previous) if previous else [],
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "chains/report.html", context, status=status)


@requires(Action.VIEW_PIPELINE)
def inspection(request: Request) -> HttpResponse:
    year = timezone.localdate().year
    with contextlib.suppress(ValueError):
        year = int(request.GET.get("year", year))
    rows = selectors.inspection(request.principal, year)
    return render(request, "chains/inspection.html", {"rows": rows, "year": year})
