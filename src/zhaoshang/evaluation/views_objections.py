"""Objections during the public notice: filed by the enterprise (or staff for it), resolved by the
coordinators, and an upheld one re-opened with a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import requires
from zhaoshang.evaluation import selectors, services
from zhaoshang.evaluation.forms import ObjectionForm, ReopenForm, ResolveForm
from zhaoshang.evaluation.models import Objection

Act = Callable[[Objection, dict[str, Any]], str]  # the service move; returns the success message


def _objection(request: Request, pk: int) -> Objection | None:
    return Objection.objects.visible_to(request.principal).select_related("result__run").filter(pk=pk).first()


def _back(request: Request, objection: Objection) -> str:
    """Back to the page the form was on (the run or the result), never off the evaluation pages."""
    back = request.POST.get("next") or f"/evaluation/results/{objection.result_id}/"
    return back if back.startswith("/evaluation/") else "/evaluation/"


@require_POST
def objection_file(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    result = selectors.result_for_page(principal, pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "异议内容：必须填写，且不超过 2000 字。")
        return redirect("result-detail", pk=pk)
    try:
        services.objection_file(principal, result, text=form.cleaned_data["text"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "异议已登记，处理结果会在本页显示。")
    return redirect("result-detail", pk=pk)


def _act(request: Request, pk: int, form_class: type[forms.Form], refused: str, act: Act) -> HttpResponse:
    """A coordinator's move on an objection: the form checked, the service called, back to the page."""
    objection = _objection(request, pk)
    if objection is None:
        return redirect("evaluation-home")
    form = form_class(request.POST)
    back = _back(request, objection)
    if not form.is_valid():
        messages.error(request, refused)
        return redirect(back)
    try:
        done = act(objection, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(back)


@require_POST
@requires(Action.CONFIGURE_RULES)
def objection_resolve(request: Request, pk: int) -> HttpResponse:
    def resolve(objection: Objection, data: dict[str, Any]) -> str:
        upheld = data["decision"] == "upheld"
        services.objection_resolve(request.principal, objection, upheld=upheld, resolution=data["resolution"])
        return "异议已处理。" + ("请更正数据后重新评价，新结果将作为新版本公示。" if upheld else "")

    return _act(request, pk, ResolveForm, "处理意见：必须填写。", resolve)


@require_POST
@requires(Action.CONFIGURE_RULES)
def objection_reopen(request: Request, pk: int) -> HttpResponse:
    def reopen(objection: Objection, data: dict[str, Any]) -> str:
        services.objection_reopen(request.principal, objection, reason=data["reason"])
        return "异议已重新打开，请重新处理后再发布。"

    return _act(request, pk, ReopenForm, "重新打开的原因：必须填写。", reopen)
