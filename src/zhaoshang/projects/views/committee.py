"""The pre-review committee's meetings, the 重大项目 threshold and a 重大项目's pre-work checklist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.core.exports import audited_download
from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import paginate, refusal_onto, requires
from zhaoshang.org import references
from zhaoshang.projects import major, minutes, rulebooks, selectors
from zhaoshang.projects.committee import PRE_WORK_ITEMS
from zhaoshang.projects.forms import MajorTierForm, MeetingDecisionForm, MeetingForm, PreWorkForm
from zhaoshang.projects.models import Project
from zhaoshang.projects.services import VOTES
from zhaoshang.projects.services import committee as committee_services
from zhaoshang.projects.services import major as major_services
from zhaoshang.projects.views.projects import _detail


def _meeting_form(request: Request, data: Any = None) -> MeetingForm:
    principal = request.principal
    return MeetingForm(
        data,
        units=references.writable_units(principal.acting_for(Action.CONFIGURE_RULES)),
        people=references.nameable_people(principal),
        pending=committee_services.pending_reviews(principal),
        initial={"on": timezone.localdate()},
    )


def meeting_list(request: Request) -> HttpResponse:
    principal = request.principal
    form = None
    if principal.can(Action.CONFIGURE_RULES):
        form = _meeting_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = committee_services.meeting_create(principal, **data)
            except ValidationError as exc:
                refusal_onto(form, exc)
            else:
                messages.success(
                    request, f"已召集 {meeting.on:%Y-%m-%d} 的预审会议，上会项目 {len(data['reviews'])} 个。"
                )
                return redirect("project-meeting", pk=meeting.pk)
    page = paginate(request, minutes.meetings(principal).prefetch_related("members", "reviews"))
    return render(request, "projects/meetings.html", {"page": page, "form": form})


def meeting_detail(request: Request, pk: int, **bound: Any) -> HttpResponse:
    principal = request.principal
    meeting = minutes.meeting_for_page(principal, pk)
    members = list(meeting.members.order_by("display_name", "pk"))
    reviews = minutes.agenda(principal, meeting)
    can_decide = principal.can(Action.CONFIGURE_RULES)
    rows = []
    for review in reviews:
        form = None
        if can_decide and not review.decision:
            form = bound.get(str(review.pk)) or MeetingDecisionForm(
                review=review, members=members, initial={"decision": review.suggestion}
            )
        rows.append((review, form))
    context = {"meeting": meeting, "members": members, "rows": rows, "votes": VOTES}
    return render(request, "projects/meeting.html", context)


@require_POST
@requires(Action.CONFIGURE_RULES)
def meeting_decide(request: Request, pk: int, review: int) -> HttpResponse:
    principal = request.principal
    meeting = minutes.meeting_for_page(principal, pk)
    found = next((r for r in minutes.agenda(principal, meeting) if r.pk == review), None)
    if found is None:
        raise Http404
    members = list(meeting.members.order_by("display_name", "pk"))
    form = MeetingDecisionForm(request.POST, review=found, members=members)
    if form.is_valid():
        data = form.cleaned_data
        try:
            committee_services.meeting_decide(
                principal,
                meeting,
                found,
                decision=data["decision"],
                notes=data["notes"],
                conditions=data["conditions"],
                votes=form.votes(),
            )
        except ValidationError as exc:
            refusal_onto(form, exc)
        else:
            messages.success(request, f"已记录“{found.project.name}”的预审结论。")
            return redirect("project-meeting", pk=pk)
    return meeting_detail(request, pk, **{str(found.pk): form})


def meeting_minutes(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    meeting = minutes.meeting_for_page(principal, pk)
    title = f"预审会议纪要-{meeting.on:%Y%m%d}"
    return audited_download(
        request,
        data=minutes.minutes(meeting, minutes.agenda(principal, meeting)),
        title=title,
        target=meeting,
        extension="docx",
    )


def major_tier(request: Request) -> HttpResponse:
    """The 重大项目 threshold of the principal's county (or a unit it reads), edited by the rule-maker."""
    principal = request.principal
    units = rulebooks.rule_units(principal)
    if not units:
        raise Http404
    wanted = request.POST.get("unit") or request.GET.get("unit")
    unit = next((u for u in units if str(u.pk) == wanted), None) if wanted else None
    if wanted and unit is None:
        raise Http404
    unit = unit or next((u for u in units if u.kind.is_jurisdiction), units[0])
    threshold, tier = major.tier_for(unit)
    editable = bool(rulebooks.editable_unit_ids(principal, [unit]))
    form = MajorTierForm(initial={"min_investment": threshold})
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = MajorTierForm(request.POST)
        if form.is_valid():
            try:
                major_services.major_tier_save(principal, unit, **form.cleaned_data)
            except ValidationError as exc:
                refusal_onto(form, exc)
            else:
                messages.success(request, f"已保存{unit.name}的重大项目标准。")
                return redirect(f"{request.path}?unit={unit.pk}")
    context = {
        "units": units,
        "unit": unit,
        "threshold": threshold,
        "source": tier.unit.name if tier else "系统默认",
        "form": form if editable else None,
    }
    return render(request, "projects/major_tier.html", context)


@require_POST
@requires(Action.EDIT_BUSINESS)
def pre_work_save(request: Request, pk: int, item: str) -> HttpResponse:
    principal = request.principal
    project = selectors.project_for_page(principal, pk)
    if item not in dict(PRE_WORK_ITEMS):
        raise Http404
    form = PreWorkForm(request.POST, prefix=item)
    if form.is_valid():
        try:
            major_services.pre_work_save(
                principal, Project.objects.get(pk=project.pk), item=item, **form.cleaned_data
            )
        except ValidationError as exc:
            refusal_onto(form, exc)
        else:
            messages.success(request, f"前期工作“{dict(PRE_WORK_ITEMS)[item]}”已保存。")
            return redirect("project-detail", pk=pk)
    return _detail(request, project, pre_work_forms={item: form})
