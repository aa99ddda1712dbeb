"""The chains, a chain's map and gaps, a node with its placements, a target company."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.chains import selectors, services
from zhaoshang.chains.forms import (
    ConvertForm,
    NodeStatusForm,
    PlaceForm,
    ProjectPlaceForm,
    TargetMoveForm,
)
from zhaoshang.core import audit, industries
from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import requires, submit
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org import references
from zhaoshang.projects.models import Project


@requires(Action.VIEW_PIPELINE)
def chain_list(request: Request) -> HttpResponse:
    rows = list(selectors.chains(request.principal).order_by("county__path", "sort_order", "pk"))
    outputs = selectors.outputs_by_chain([c.pk for c in rows], selectors.data_year())
    return render(
        request,
        "chains/list.html",
        {
            "chains": [(c, outputs.get(c.pk)) for c in rows],
            "year": selectors.data_year(),
            "can_configure": request.principal.can(Action.CONFIGURE_RULES),
        },
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
        "can_configure": request.principal.can(Action.CONFIGURE_RULES)
        and services.may_write(request.principal, chain),
        "print": request.GET.get("print") == "a3",
    }
    return render(request, "chains/detail.html", context)


def _node_page(request: Request, pk: int, **forms: Any) -> HttpResponse:
    principal = request.principal
    node = selectors.node_for_page(principal, pk)
    can_edit = services.may_write(principal, node.chain)
    facts = next(f for f in selectors.node_facts(node.chain) if f.node.pk == node.pk)
    suggested = selectors.suggestions(node) if can_edit else []
    suggested_projects = selectors.project_suggestions(principal, node) if can_edit else []
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
        "project_form": forms.get("project_form")
        or ProjectPlaceForm(choices=Project.objects.filter(pk__in=[p.pk for p in suggested_projects])),
        "suggested_projects": suggested_projects,
        "industries": [(code, industries.get(industries.normalise(code))) for code in node.codes],
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
    if submit(form, lambda d: services.node_set_status(request.principal, node, d["status"], d["reason"])):
        messages.success(request, f"环节状态已改为“{node.get_status_display()}”。")
        return redirect("chain-node", pk=pk)
    return _node_page(request, pk, status_form=form)


@require_POST
@requires(Action.EDIT_BUSINESS)
def node_place(request: Request, pk: int) -> HttpResponse:
    node = selectors.node_for_page(request.principal, pk)
    suggested = selectors.suggestions(node)
    form = PlaceForm(request.POST, choices=Enterprise.objects.filter(pk__in=[e.pk for e in suggested]))
    n = submit(form, lambda d: services.place_enterprises(request.principal, node, d["enterprises"]))
    if n is not None:
        messages.success(request, f"已确认 {n} 家企业在本环节。")
        return redirect("chain-node", pk=pk)
    return _node_page(request, pk, place_form=form)


@require_POST
@requires(Action.EDIT_BUSINESS)
def node_place_projects(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    node = selectors.node_for_page(principal, pk)
    suggested = selectors.project_suggestions(principal, node)
    form = ProjectPlaceForm(request.POST, choices=Project.objects.filter(pk__in=[p.pk for p in suggested]))
    n = submit(form, lambda d: services.place_projects(principal, node, d["projects"]))
    if n is not None:
        messages.success(request, f"已确认 {n} 个项目在本环节。")
        return redirect("chain-node", pk=pk)
    return _node_page(request, pk, project_form=form)


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
    moved = submit(
        form,
        lambda d: services.target_move(
            request.principal, target, d["status"], on=d["on"], reason=d["reason"]
        ),
    )
    if moved:
        messages.success(request, f"对接状态已改为“{target.get_status_display()}”。")
        return redirect("chain-target", pk=pk)
    return _target_page(request, pk, move_form=form)


@require_POST
@requires(Action.EDIT_BUSINESS)
def target_convert(request: Request, pk: int) -> HttpResponse:
    target = selectors.target_for_page(request.principal, pk)
    form = ConvertForm(request.POST, towns=references.writable_units(request.principal, "town"))
    project = submit(form, lambda d: services.target_convert(request.principal, target, **d))
    if project is not None:
        messages.success(request, f"已转为招商项目：{project.name}。")
        return redirect("chain-target", pk=pk)
    return _target_page(request, pk, convert_form=form)
