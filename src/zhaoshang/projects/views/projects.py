"""The project pages: the list (table or board) with its export, the alerts, the form and the project page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhaoshang.core import audit, corrections
from zhaoshang.core.exports import wants_export
from zhaoshang.core.http import Request
from zhaoshang.core.lists import render_list
from zhaoshang.core.roles import Action
from zhaoshang.core.versioning import StaleEdit
from zhaoshang.core.views_helpers import paginate, refusal_onto, requires
from zhaoshang.org import references
from zhaoshang.projects import extensions, major, selectors, services
from zhaoshang.projects.engines.lifecycle import PATH, STAGE_LABELS, Stage, moves_from
from zhaoshang.projects.filters import AlertFilter, ProjectFilter
from zhaoshang.projects.forms import (
    FollowUpForm,
    FundArrivalForm,
    MilestoneForm,
    MoveForm,
    PreWorkForm,
    ProjectForm,
    ReviewForm,
)
from zhaoshang.projects.models import FollowUp, FundArrival, Project
from zhaoshang.projects.views.sheets import export


def project_list(request: Request) -> HttpResponse:
    principal = request.principal
    listing = ProjectFilter.for_request(request)
    if wants_export(request):
        return export(
            request, "follow_ups" if request.GET.get("sheet") == "follow_ups" else "projects", listing
        )
    rows = listing.qs
    index = selectors.tracking_index(principal)  # the rules read once for every row below
    board = listing.board()
    context: dict[str, Any] = {
        "board": board,
        "mine": bool(listing.form.cleaned_data.get("mine")),
        "can_edit": principal.can(Action.EDIT_BUSINESS),
        "table_template": "projects/_board.html" if board else "projects/_table.html",
    }
    if board:
        context["columns"] = _board_columns(request, rows, index)
    else:
        # The page is cut here, so each row's alerts and deadline light are read for it alone.
        page = paginate(request, rows)
        listed = list(page.object_list)
        context["page"] = page
        context["rows"] = [(p, selectors.alerts(p, rules=index.alert_rules(p))) for p in listed]
        context["lights"] = selectors.deadline_lights(listed, index)
    return render_list(
        request, "projects/list.html", context["table_template"], listing, context, rows=rows.none()
    )


BOARD_CARDS = 20  # a column shows its first cards in the list's order, and links to the rest


def _board_columns(request: Request, rows: Any, index: Any) -> list[tuple[str, str, list[Any], str]]:
    """Each stage's first BOARD_CARDS projects in the list's order, one short indexed query per stage
    (a constant eight, however many projects), and for a fuller column the link to the list of that
    stage with the same filters."""
    out = []
    for stage in PATH:
        cards = list(rows.filter(stage=stage.value)[: BOARD_CARDS + 1])
        more = ""
        if len(cards) > BOARD_CARDS:
            params = request.GET.copy()
            for key in ("view", "stage", "page"):
                params.pop(key, None)
            params["stage"] = stage.value
            more, cards = f"?{params.urlencode()}", cards[:BOARD_CARDS]
        shown = [(p, selectors.alerts(p, rules=index.alert_rules(p))) for p in cards]
        out.append((stage.value, STAGE_LABELS[stage], shown, more))
    return out


def alert_list(request: Request) -> HttpResponse:
    """Live projects in scope that need attention, most overdue first unless a column is chosen."""
    listing = AlertFilter.for_request(request)
    index = selectors.tracking_index(request.principal)
    today = timezone.localdate()
    rows = listing.qs.filter(selectors.alerting_for(index, today))
    if not request.GET.get("sort"):
        rows = selectors.most_overdue_first(rows, index, today)
    page = paginate(request, rows)  # only the page's rows are read, and their alerts worked out
    page.object_list = [(p, selectors.alerts(p, today, rules=index.alert_rules(p))) for p in page.object_list]
    return render_list(
        request,
        "projects/alerts.html",
        "projects/_alerts_table.html",
        listing,
        {"page": page},
        rows=listing.qs.none(),
    )


def _form(request: Request, data: Any = None, instance: Project | None = None) -> ProjectForm:
    """The pickers list what the person may name (`org.references`), and what the record already names."""
    principal = request.principal

    def kept(choices: Any, *ids: Any) -> Any:
        given = [pk for pk in ids if pk]
        return (choices | choices.model.objects.filter(pk__in=given)).distinct() if given else choices

    p = instance
    return ProjectForm(
        data,
        instance=instance,
        towns=kept(references.writable_units(principal, "town"), p and p.town_id),
        parks=kept(references.writable_units(principal, "park"), p and p.park_id),
        units=kept(
            _units(principal),
            *([p.lead_unit_id, *p.member_units.values_list("pk", flat=True)] if p else []),
        ),
        leaders=kept(references.nameable_leaders(principal), p and p.responsible_leader_id),
        people=kept(
            references.nameable_people(principal, within=p.town if p else None),
            *(p.task_force.values_list("pk", flat=True) if p else []),
        ),
    )


@requires(Action.EDIT_BUSINESS)
def project_create(request: Request) -> HttpResponse:
    form = _form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(request.principal, **form.cleaned_data)
        except ValidationError as exc:
            refusal_onto(form, exc)
        else:
            messages.success(request, f"已登记项目线索：{project.name}。")
            return redirect("project-detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form})


@requires(Action.EDIT_BUSINESS)
def project_update(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    project = selectors.project_for_page(principal, pk)
    form = _form(request, request.POST or None, instance=Project.objects.get(pk=project.pk))
    if request.method == "POST" and form.is_valid():
        # Take the values before the form writes them onto the instance; the service writes.
        edited = form.edited()
        changes = {name: edited[name] for name in form.changed_data if name in edited}
        try:
            services.project_update(
                principal, Project.objects.get(pk=project.pk), version=form.read_version, **changes
            )
        except StaleEdit as exc:
            form.refused_as_stale(exc)
        except ValidationError as exc:
            refusal_onto(form, exc)
        else:
            messages.success(request, "项目信息已保存。")
            return redirect("project-detail", pk=pk)
    return render(request, "projects/form.html", {"form": form, "project": project})


def project_detail(request: Request, pk: int) -> HttpResponse:
    return _detail(request, selectors.project_for_page(request.principal, pk))


def _detail(request: Request, project: Project, **bound: Any) -> HttpResponse:
    """The project page; a refused form comes back bound (in `bound`), so nothing typed is lost."""
    principal = request.principal
    moves = list(project.moves.select_related("by").prefetch_related("evidence"))
    # Withdrawn and corrected rows stay on the page, struck out with who, when and why.
    follow_ups = list(
        FollowUp.all_rows.filter(project=project).select_related("by", "withdrawn_by", "replaced_by")
    )
    timeline = sorted(
        [("move", m.on, m) for m in moves] + [("follow_up", f.on, f) for f in follow_ups],
        key=lambda t: t[1],
        reverse=True,
    )
    targets = [(m.target.value, m.label) for m in moves_from(Stage(project.stage))]
    today = timezone.localdate()
    reviews = list(project.reviews.select_related("decided_by", "submitted_by"))
    pending = (
        reviews[0] if reviews and not reviews[0].decision and project.stage == Stage.REVIEW.value else None
    )
    ledger = list(
        FundArrival.all_rows.filter(project=project).select_related("proof", "withdrawn_by", "replaced_by")
    )
    funds = [f for f in ledger if f.is_current]
    can_edit = principal.can(Action.EDIT_BUSINESS)
    context = {
        "p": project,
        "alerts": selectors.alerts(project),
        "timeline": timeline,
        "path": [
            (
                s,
                STAGE_LABELS[s],
                PATH.index(s) <= PATH.index(Stage(project.stage)) if project.stage in PATH else False,
            )
            for s in PATH
        ],
        "move_form": bound.get("move_form")
        or (
            MoveForm(targets=targets, initial={"on": today, "target": request.GET.get("target")})
            if targets
            else None
        ),
        "reviews": reviews,
        "review_form": bound.get("review_form") or ReviewForm(initial={"decision": pending.suggestion})
        if pending is not None and principal.can(Action.CONFIGURE_RULES)
        else None,
        "follow_up_form": bound.get("follow_up_form") or FollowUpForm(initial={"on": today}),
        "funds": ledger,
        "funding": selectors.funding_summary(project, funds),
        "correctable_funds": corrections.correctable_ids(principal, ledger, can_edit=can_edit),
        "correctable_follow_ups": corrections.correctable_ids(principal, follow_ups, can_edit=can_edit),
        "fund_form": (bound.get("fund_form") or FundArrivalForm(initial={"on": today}))
        if can_edit and project.signed_on
        else None,
        "milestones": list(project.milestones.select_related("owner_unit")),
        "milestone_form": bound.get("milestone_form") or MilestoneForm(units=_units(principal))
        if can_edit
        else None,
        "votes": services.VOTES,
        "deadline_checks": selectors.deadline_checks(project) if project.signed_on else [],
        "performance": next(iter(selectors.performance(principal, today.year, only=project.pk)), None),
        "task_force": list(project.task_force.all()),
        "member_units": list(project.member_units.all()),
        "today": today,
        "can_edit": can_edit,
        "history": audit.history(project) if principal.can(Action.VIEW_RECORD_HISTORY) else [],
        "panels": extensions.detail_panels(principal, project),
        **_major(project, can_edit, bound.get("pre_work_forms") or {}),
    }
    return render(request, "projects/detail.html", context)


def _major(project: Project, can_edit: bool, bound: dict[str, Any]) -> dict[str, Any]:
    """A 重大项目's tier and its pre-work checklist, each row with its form for an editor."""
    threshold = major.threshold_of(project)
    is_major = project.planned_investment is not None and project.planned_investment >= threshold
    rows = []
    for code, label, work in major.pre_work(project) if is_major else []:
        form = None
        if can_edit:
            form = bound.get(code) or PreWorkForm(
                prefix=code,
                initial={"planned_on": work.planned_on, "done_on": work.done_on, "note": work.note}
                if work
                else {},
            )
        rows.append((code, label, work, form))
    return {"is_major": is_major, "major_threshold": threshold, "pre_work": rows}


def _units(principal: Any) -> Any:
    return references.writable_units(principal)
