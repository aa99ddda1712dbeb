"""What is added to a project from its page: funds in place, milestones of the plan, follow-ups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.core.forms import WithdrawForm
from zhaoshang.core.http import Request
from zhaoshang.core.numbers import number
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import refusal_onto, requires
from zhaoshang.projects import selectors, services
from zhaoshang.projects.forms import (
    FollowUpCorrectionForm,
    FollowUpForm,
    FundArrivalForm,
    FundCorrectionForm,
    MilestoneForm,
)
from zhaoshang.projects.models import FollowUp, FundArrival, Project
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
            confirm_reason=form.confirmation(),
        )
    except ValidationError as exc:
        refusal_onto(form, exc)
        return _detail(request, project, fund_form=form)
    messages.success(request, f"已登记到位资金 {number(data['amount'])} 万元。")
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


# ---------------------------------------------------------------- corrections and withdrawals


def _correction_page(
    request: Request, project: Project, form: object, *, title: str, record: str
) -> HttpResponse:
    return render(
        request, "projects/correct.html", {"p": project, "form": form, "title": title, "record": record}
    )


def _fund_line(f: FundArrival) -> str:
    return (
        f"{f.on:%Y-%m-%d} 到位资金 {number(f.amount)} 万元（{f.get_source_display()}，{f.get_use_display()}）"
    )


@requires(Action.EDIT_BUSINESS)
def fund_correct(request: Request, pk: int, arrival: int) -> HttpResponse:
    principal = request.principal
    project = selectors.project_for_page(principal, pk)
    row = get_object_or_404(project.fund_arrivals, pk=arrival)
    initial = {f: getattr(row, f) for f in ("on", "amount", "source", "use", "currency", "foreign_amount")}
    initial |= {"exchange_rate": row.exchange_rate, "rate_date": row.rate_date, "note": row.note}
    form = FundCorrectionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["proof_file"]
        try:
            services.fund_arrival_correct(
                principal,
                row,
                reason=data["reason"],
                on=data["on"],
                amount=data["amount"],
                source=data["source"],
                use=data["use"],
                currency=data["currency"],
                foreign_amount=data["foreign_amount"],
                exchange_rate=data["exchange_rate"],
                rate_date=data["rate_date"],
                proof=(data["proof_kind"], upload.name, upload.read()) if upload else None,
                note=data["note"],
                confirm_reason=form.confirmation(),
            )
        except ValidationError as exc:
            refusal_onto(form, exc)
        else:
            messages.success(request, f"到位资金已更正为 {number(data['amount'])} 万元，原记录留档。")
            return redirect("project-detail", pk=pk)
    return _correction_page(request, project, form, title="更正到位资金", record=_fund_line(row))


@requires(Action.EDIT_BUSINESS)
def fund_withdraw(request: Request, pk: int, arrival: int) -> HttpResponse:
    principal = request.principal
    project = selectors.project_for_page(principal, pk)
    row = get_object_or_404(project.fund_arrivals, pk=arrival)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_arrival_withdraw(principal, row, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            refusal_onto(form, exc)
        else:
            messages.success(request, "到位资金已撤回，原记录留档。")
            return redirect("project-detail", pk=pk)
    return _correction_page(request, project, form, title="撤回到位资金", record=_fund_line(row))


def _follow_up_line(f: FollowUp) -> str:
    return f"{f.on:%Y-%m-%d} 跟进：{f.what}"


@requires(Action.EDIT_BUSINESS)
def follow_up_correct(request: Request, pk: int, item: int) -> HttpResponse:
    principal = request.principal
    project = selectors.project_for_page(principal, pk)
    row = get_object_or_404(project.follow_ups, pk=item)
    initial = {f: getattr(row, f) for f in ("on", "what", "next_step", "next_date")}
    form = FollowUpCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_correct(principal, row, **form.cleaned_data)
        except ValidationError as exc:
            refusal_onto(form, exc)
        else:
            messages.success(request, "跟进记录已更正，原记录留档。")
            return redirect("project-detail", pk=pk)
    return _correction_page(request, project, form, title="更正跟进记录", record=_follow_up_line(row))


@requires(Action.EDIT_BUSINESS)
def follow_up_withdraw(request: Request, pk: int, item: int) -> HttpResponse:
    principal = request.principal
    project = selectors.project_for_page(principal, pk)
    row = get_object_or_404(project.follow_ups, pk=item)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_withdraw(principal, row, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            refusal_onto(form, exc)
        else:
            messages.success(request, "跟进记录已撤回，原记录留档。")
            return redirect("project-detail", pk=pk)
    return _correction_page(request, project, form, title="撤回跟进记录", record=_follow_up_line(row))
