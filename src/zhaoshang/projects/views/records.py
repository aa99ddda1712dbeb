"""What is added to a project from its page: funds in place, milestones of the plan, follow-ups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import refusal_onto, requires
from zhaoshang.projects import selectors, services
from zhaoshang.projects.forms import (
    FollowUpForm,
    FundArrivalForm,
    MilestoneForm,
)
from zhaoshang.projects.models import Project
from zhaoshang.projects.views.projects import _detail, _units


def _problems(request: Request, exc: ValidationError) -> None:
    for problem in exc.messages:
        messages.error(request, problem)


@require_POST
@requires(Action.EDIT_BUSINESS)
def fund_add(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    project = selectors.project_for_page(principal, pk)
    form = FundArrivalForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, project, fund_form=form)
    data = form.cleaned_data
    upload = data["proof_file"]
    try:
        services.fund_arrival_add(
            principal,
            Project.objects.get(pk=project.pk),
            on=data["on"],
            amount=data["amount"],
            source=data["source"],
            use=data["use"],
            currency=data["currency"],
            foreign_amount=data["foreign_amount"],
            exchange_rate=data["exchange_rate"],
            rate_date=data["rate_date"],
            proof=(data["proof_kind"], upload.name, upload.read()),
            note=data["note"],
        )
    except ValidationError as exc:
        refusal_onto(form, exc)
        return _detail(request, project, fund_form=form)
    messages.success(request, f"已登记到位资金 {data['amount']} 万元。")
    return redirect("project-detail", pk=pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def milestone_add(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    project = selectors.project_for_page(principal, pk)
    form = MilestoneForm(request.POST, units=_units(principal))
    if not form.is_valid():
        return _detail(request, project, milestone_form=form)
    services.milestone_add(principal, Project.objects.get(pk=project.pk), **form.cleaned_data)
    messages.success(request, "方案节点已添加。")
    return redirect("project-detail", pk=pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def milestone_done(request: Request, pk: int, milestone: int) -> HttpResponse:
    principal = request.principal
    project = selectors.project_for_page(principal, pk)
    item = get_object_or_404(project.milestones, pk=milestone)
    try:
        services.milestone_done(principal, item, on=timezone.localdate())
    except ValidationError as exc:
        _problems(request, exc)
    else:
        messages.success(request, f"节点“{item.name}”已完成。")
    return redirect("project-detail", pk=pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def follow_up_add(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    project = selectors.project_for_page(principal, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return _detail(request, project, follow_up_form=form)
    try:
        services.follow_up_add(principal, Project.objects.get(pk=project.pk), **form.cleaned_data)
    except ValidationError as exc:
        refusal_onto(form, exc)
        return _detail(request, project, follow_up_form=form)
    messages.success(request, "跟进记录已保存。")
    return redirect("project-detail", pk=pk)
