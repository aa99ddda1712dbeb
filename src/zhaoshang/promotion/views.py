"""Pages of the promotion library: list with counts and export, form, and the proposal's page."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.core import audit
from zhaoshang.core.exports import export_response, wants_export
from zhaoshang.core.http import Request
from zhaoshang.core.lists import render_list
from zhaoshang.core.roles import Action
from zhaoshang.core.versioning import StaleEdit
from zhaoshang.core.views_helpers import put_on, requires
from zhaoshang.promotion import selectors, services
from zhaoshang.promotion.filters import PROMOTION_SHEET, PromotionFilter, promotion_records
from zhaoshang.promotion.forms import (
    AttachForm,
    MatchForm,
    MoveForm,
    PromotionForm,
)
from zhaoshang.promotion.models import PromotionProject


def _with_status(request: Request, status: str) -> str:
    """The current filters with another status, so a count links to exactly the rows it counted."""
    params = request.GET.copy()
    for name in ("page", "format"):
        params.pop(name, None)
    params["status"] = status
    return params.urlencode()


def promotion_list(request: Request) -> HttpResponse:
    principal = request.principal
    listing = PromotionFilter.for_request(request)
    if wants_export(request):
        return export_response(
            request,
            sheet=PROMOTION_SHEET,
            records=promotion_records(listing.qs),
            applied=listing.applied(),
            target_type=audit.target_label(PromotionProject()),
        )
    listing.form.is_valid()
    context = {
        "counts": [(s, label, n, _with_status(request, s)) for s, label, n in listing.status_counts()],
        "status": listing.form.cleaned_data.get("status") or "",
        "can_edit": principal.can(Action.EDIT_BUSINESS),
    }
    return render_list(request, "promotion/list.html", "promotion/_table.html", listing, context)


@requires(Action.EDIT_BUSINESS)
def promotion_create(request: Request) -> HttpResponse:
    principal = request.principal
    form = PromotionForm(request.POST or None, units=selectors.planning_units(principal))
    if request.method == "POST" and form.is_valid():
        try:
            promotion = services.promotion_create(principal, **form.cleaned_data)
        except ValidationError as exc:
            put_on(form, exc)
        else:
            messages.success(request, f"已登记储备项目：{promotion.name}。")
            return redirect("promotion-detail", pk=promotion.pk)
    return render(request, "promotion/form.html", {"form": form, "title": "登记储备项目"})


@requires(Action.EDIT_BUSINESS)
def promotion_edit(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    promotion = selectors.promotion_for_page(principal, pk)
    # The form edits its own copy: a refused form must not leave typed values on the service's record.
    form = PromotionForm(
        request.POST or None,
        instance=PromotionProject.objects.get(pk=pk),
        units=selectors.planning_units(principal),
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: form.cleaned_data[k] for k in services.EDITABLE}
        try:
            changed = services.promotion_update(
                principal,
                promotion,
                changes,
                reason=form.cleaned_data.get("reason") or "",
                version=form.read_version,
            )
        except StaleEdit as exc:
            form.refused_as_stale(exc)
        except ValidationError as exc:
            put_on(form, exc)
        else:
            messages.success(request, f"已保存：修改了 {len(changed)} 项。")
            return redirect("promotion-detail", pk=pk)
    return render(
        request,
        "promotion/form.html",
        {"form": form, "title": f"修改 {promotion.name}", "promotion": promotion},
    )


def promotion_detail(request: Request, pk: int) -> HttpResponse:
    return _detail(request, selectors.promotion_for_page(request.principal, pk))


def _detail(
    request: Request,
    promotion: PromotionProject,
    *,
    move_form: MoveForm | None = None,
    match_form: MatchForm | None = None,
    attach_form: AttachForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The proposal's page; a refused form comes back bound, so nothing typed is lost."""
    principal = request.principal
    can_edit = principal.can(Action.EDIT_BUSINESS)
    moves = [t for t in services.targets(promotion.status, principal) if t[0] != "matched"]
    context = {
        "p": promotion,
        "files": selectors.files(promotion),
        "can_edit": can_edit,
        "move_form": (move_form or MoveForm(targets=moves)) if can_edit and moves else None,
        "match_form": (match_form or MatchForm(projects=selectors.matchable_projects(principal)))
        if can_edit and promotion.status == "promoting"
        else None,
        "attach_form": (attach_form or AttachForm()) if can_edit and promotion.status != "closed" else None,
        "history": selectors.history(principal, promotion)
        if principal.can(Action.VIEW_RECORD_HISTORY)
        else [],
        "path": [(s, label, s == promotion.status) for s, label in services.STATUS_LABELS.items()],
    }
    return render(request, "promotion/detail.html", context, status=status)


@require_POST
@requires(Action.EDIT_BUSINESS)
def promotion_move(request: Request, pk: int) -> HttpResponse:
    """Status moves and the match to a project: both forms post here, the match with its project."""
    principal = request.principal
    promotion = selectors.promotion_for_page(principal, pk)
    matching = "project" in request.POST
    form: MoveForm | MatchForm
    if matching:
        form = MatchForm(request.POST, projects=selectors.matchable_projects(principal))
    else:
        form = MoveForm(request.POST, targets=services.targets(promotion.status, principal))
    bound = {"match_form" if matching else "move_form": form}
    if not form.is_valid():
        return _detail(request, promotion, **bound, status=400)  # type: ignore[arg-type]
    data = form.cleaned_data
    target = "matched" if matching else data["target"]
    try:
        services.promotion_move(
            principal,
            PromotionProject.objects.get(pk=promotion.pk),
            target,
            reason=data.get("reason") or "",
            project=data.get("project"),
        )
    except ValidationError as exc:
        put_on(form, exc)
        return _detail(request, promotion, **bound, status=400)  # type: ignore[arg-type]
    messages.success(request, f"储备项目已变更为“{services.STATUS_LABELS[target]}”。")
    return redirect("promotion-detail", pk=pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def promotion_attach(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    promotion = selectors.promotion_for_page(principal, pk)
    form = AttachForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, promotion, attach_form=form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > services.MAX_FILE_BYTES:  # refuse before reading 20 MB+ into memory
        form.add_error(None, f"附件：{upload.name} 超过 20 MB")
        return _detail(request, promotion, attach_form=form, status=400)
    try:
        item = services.promotion_attach(
            principal, PromotionProject.objects.get(pk=promotion.pk), upload.name, upload.read()
        )
    except ValidationError as exc:
        put_on(form, exc)
        return _detail(request, promotion, attach_form=form, status=400)
    messages.success(request, f"已上传附件：{item.filename}。")
    return redirect("promotion-detail", pk=pk)


def promotion_file(request: Request, pk: int, file_pk: int) -> HttpResponse:
    item = selectors.file_for_download(request.principal, pk, file_pk)
    response = HttpResponse(bytes(item.content), content_type="application/octet-stream")
    # Always a download, never shown inline: the bytes are whatever someone uploaded.
    response["Content-Disposition"] = (
        f"attachment; filename=\"file\"; filename*=UTF-8''{quote(item.filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
