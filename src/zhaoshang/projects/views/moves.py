"""Stage moves (from the project page or a card dropped on the board) and the pre-review decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import refusal_onto, requires
from zhaoshang.projects import selectors, services
from zhaoshang.projects.engines.lifecycle import STAGE_LABELS, Stage, moves_from
from zhaoshang.projects.forms import (
    MoveForm,
    ReviewForm,
)
from zhaoshang.projects.models import Project
from zhaoshang.projects.views.projects import _detail


@require_POST
@requires(Action.EDIT_BUSINESS)
def project_move(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    project = selectors.project_for_page(principal, pk)
    targets = [(m.target.value, m.label) for m in moves_from(Stage(project.stage))]
    form = MoveForm(request.POST, request.FILES, targets=targets)
    if not form.is_valid():
        return _detail(request, project, move_form=form)
    data = form.cleaned_data
    evidence = []
    if upload := data.get("evidence_file"):
        evidence.append((data.get("evidence_kind") or "other", upload.name, upload.read()))
    try:
        services.project_move(
            principal,
            Project.objects.get(pk=project.pk),
            data["target"],
            on=data["on"],
            opinion=data["opinion"],
            supplied={k: data.get(k) for k in services.SUPPLIED},
            evidence=evidence,
        )
    except ValidationError as exc:
        refusal_onto(form, exc)
        return _detail(request, project, move_form=form)
    messages.success(request, f"项目已变更为“{STAGE_LABELS[Stage(data['target'])]}”。")
    return redirect("project-detail", pk=pk)


@require_POST
@requires(Action.CONFIGURE_RULES)
def project_review(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    project = selectors.project_for_page(principal, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _detail(request, project, review_form=form)
    try:
        services.review_record(
            principal,
            Project.objects.get(pk=project.pk),
            decision=form.cleaned_data["decision"],
            notes=form.cleaned_data["notes"],
            conditions=form.cleaned_data["conditions"],
            votes=form.votes(),
        )
    except ValidationError as exc:
        refusal_onto(form, exc)
        return _detail(request, project, review_form=form)
    messages.success(request, "预审结论已记录。")
    return redirect("project-detail", pk=pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def board_move(request: Request, pk: int) -> JsonResponse:
    """A card dropped on another column: the state machine decides, as on the project page.

    A move that needs figures or attachments is refused with its requirements, and the board sends
    the user to the project page with the move chosen, to supply them.
    """
    principal = request.principal
    project = selectors.project_for_page(principal, pk)
    target = request.POST.get("target", "")
    try:
        services.project_move(principal, Project.objects.get(pk=project.pk), target, on=timezone.localdate())
    except ValidationError as exc:
        url = f"{reverse('project-detail', args=[pk])}?target={target}#move-form"
        return JsonResponse({"ok": False, "problems": exc.messages, "url": url}, status=409)
    return JsonResponse({"ok": True, "stage": STAGE_LABELS[Stage(target)]})
