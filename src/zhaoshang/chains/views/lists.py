"""The five lists of 一图五单 with their exports, and what one adds to them from their page: policies
(withdrawn with a reason), problems (moved on their own page), target companies."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.chains import filters, selectors, services
from zhaoshang.chains.forms import (
    PolicyForm,
    ProblemForm,
    ProblemProgressForm,
    TargetForm,
    WithdrawForm,
)
from zhaoshang.chains.models import Chain
from zhaoshang.core import audit
from zhaoshang.core.exports import export_response, wants_export
from zhaoshang.core.http import Request
from zhaoshang.core.lists import render_list
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import form_problems, requires, submit
from zhaoshang.org import references

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
    if form is None and can_edit and kind in ADDS:
        form = _add_form(request, chain, kind, None)
    context = {
        "chain": chain,
        "kind": kind,
        "title": title,
        "lists": [(k, v[0]) for k, v in LISTS.items()],
        "add_form": form,
        "add_title": ADDS[kind][0] if kind in ADDS else "",
        "can_edit": can_edit,
        "today": timezone.localdate(),
        "year": selectors.data_year(),
        "table_template": f"chains/_{kind}.html",
        "stale_before": selectors.stale_before(chain),
        "active_statuses": selectors.ACTIVE,
    }
    return render_list(request, "chains/five.html", f"chains/_{kind}.html", listing, context)


@requires(Action.VIEW_PIPELINE)
def five_list(request: Request, pk: int, kind: str) -> HttpResponse:
    if kind not in LISTS:
        raise Http404
    return _five(request, pk, kind)


# The lists one adds to from their page: the form's title, the form, and the service that writes.
ADDS: dict[str, tuple[str, Any]] = {
    "policies": ("列入政策", services.policy_add),
    "problems": ("登记问题", services.problem_raise),
    "targets": ("添加目标企业", services.target_create),
}


def _add_form(request: Request, chain: Chain, kind: str, data: Any) -> Any:
    principal = request.principal
    if kind == "policies":
        return PolicyForm(data)
    if kind == "problems":
        return ProblemForm(data, units=references.writable_units(principal))
    return TargetForm(
        data,
        nodes=chain.nodes.order_by("segment", "sort_order", "pk"),
        teams=references.writable_units(principal, "team"),
        leaders=references.nameable_leaders(principal),
    )


@require_POST
@requires(Action.EDIT_BUSINESS)
def five_add(request: Request, pk: int, kind: str) -> HttpResponse:
    chain = selectors.chain_for_page(request.principal, pk)
    if kind not in ADDS:
        raise Http404
    form = _add_form(request, chain, kind, request.POST)
    if submit(form, lambda d: ADDS[kind][1](request.principal, chain, **d)):
        messages.success(request, "已登记。")
        return redirect("chain-list-of", pk=pk, kind=kind)
    response = _five(request, pk, kind, form)
    response.status_code = 400
    return response


@require_POST
@requires(Action.EDIT_BUSINESS)
def policy_withdraw(request: Request, pk: int) -> HttpResponse:
    """A policy taken off the list stays on record, with the reason; the list no longer shows it."""
    policy = selectors.policy_for_page(request.principal, pk)
    services.require_writer(request.principal, policy.chain)
    form = WithdrawForm(request.POST)
    if submit(form, lambda d: services.policy_withdraw(request.principal, policy, d["reason"])):
        messages.success(request, f"已撤下政策“{policy.title}”。")
    else:
        messages.error(request, form_problems(form))
    return redirect("chain-list-of", pk=policy.chain_id, kind="policies")


@requires(Action.VIEW_PIPELINE)
def problem_detail(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    problem = selectors.problem_for_page(principal, pk)
    can_edit = services.may_write(principal, problem.chain)
    form = None
    if can_edit:
        initial = {"status": problem.status, "resolution": problem.resolution}
        form = ProblemProgressForm(request.POST or None, initial=initial)
    if request.method == "POST":
        services.require_writer(principal, problem.chain)
        assert form is not None
        if submit(
            form, lambda d: services.problem_progress(principal, problem, d["status"], d["resolution"])
        ):
            messages.success(request, f"问题状态已改为“{problem.get_status_display()}”。")
            return redirect("chain-problem", pk=pk)
    context = {
        "p": problem,
        "chain": problem.chain,
        "form": form,
        "today": timezone.localdate(),
        "history": audit.history(problem) if principal.can(Action.VIEW_RECORD_HISTORY) else [],
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "chains/problem.html", context, status=status)
