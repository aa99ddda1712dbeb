"""The chief's monthly report, the inspectors' view of the year, the month's 推进会 and the work plans."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.chains import overview, selectors, services
from zhaoshang.chains.forms import HeldForm, MeetingForm, PlanForm, ReportForm
from zhaoshang.chains.models import Meeting, Report, WorkPlan
from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import form_problems, requires, submit
from zhaoshang.org import references

# --- the chief's monthly report -----------------------------------------------------------------------


def _month(value: str) -> dt.date:
    try:
        year, month = (int(x) for x in value.split("-"))
        return dt.date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc


def _file(principal: Any, chain: Any, month: dt.date, data: dict[str, Any]) -> Report:
    commitments = [(p, "sign") for p in data["sign"]] + [(p, "land") for p in data["land"]]
    texts = {k: data[k] for k in services.REPORT_TEXTS}
    return services.report_file(principal, chain, month, commitments=commitments, **texts)


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
        filed = (
            submit(form, lambda d: _file(principal, chain, first, d)) if request.method == "POST" else None
        )
        if filed is not None:
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
    rows = overview.inspection(request.principal, year)
    return render(request, "chains/inspection.html", {"rows": rows, "year": year})


# --- the month's 推进会 -------------------------------------------------------------------------------


@requires(Action.VIEW_PIPELINE)
def meetings(request: Request) -> HttpResponse:
    """The county's monthly meetings: when reports are due, how many came in (and late), when held."""
    principal = request.principal
    rows = list(Meeting.objects.visible_to(principal).select_related("county").order_by("-month")[:24])
    can_schedule = principal.can(Action.CONFIGURE_RULES)
    if request.method == "POST" and not can_schedule:
        raise PermissionDenied("只有统筹协调人员可以安排推进会。")
    form = None
    if can_schedule:
        today = timezone.localdate()
        form = MeetingForm(request.POST or None, initial={"month": today.strftime("%Y-%m")})
        county = references.configured_jurisdiction(principal)
        scheduled = (
            submit(form, lambda d: services.meeting_schedule(principal, county, d["month"], d["due_on"]))
            if request.method == "POST"
            else None
        )
        if scheduled:
            messages.success(request, f"已安排{scheduled}，月报截止 {scheduled.due_on:%Y年%m月%d日}。")
            return redirect("chain-meetings")
    context = {
        "rows": [(m, *overview.meeting_reports(m)) for m in rows],
        "form": form,
        "held_form": HeldForm(initial={"held_on": timezone.localdate()}) if can_schedule else None,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "chains/meetings.html", context, status=status)


@require_POST
@requires(Action.CONFIGURE_RULES)
def meeting_held(request: Request, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.principal), pk=pk)
    form = HeldForm(request.POST)
    n = submit(form, lambda d: services.meeting_held(request.principal, meeting, d["held_on"]))
    if n is not None:
        messages.success(request, f"{meeting}已召开，{n} 份月报已锁定。")
    else:
        messages.error(request, form_problems(form))
    return redirect("chain-meetings")


# --- 工作方案 ---------------------------------------------------------------------------------------


def _changes(before: WorkPlan | None, after: WorkPlan) -> list[tuple[str, list[tuple[str, str]]]]:
    """What this version changed against the one before: per part, the lines removed and added."""
    found = []
    for name, label in (("goals", "工作目标"), ("measures", "工作措施"), ("targets", "目标企业")):
        old = (getattr(before, name) if before else "").splitlines()
        new = getattr(after, name).splitlines()
        lines = [(d[0], d[2:]) for d in difflib.ndiff(old, new) if d[0] in "+-" and d[2:].strip()]
        if lines:
            found.append((label, lines))
    return found


@requires(Action.VIEW_PIPELINE)
def plan(request: Request, pk: int) -> HttpResponse:
    """The chain's 工作方案 for a year: the version asked for (the latest by default), what it changed,
    every version with who saved it and why, and for the lead unit a form that saves a new version."""
    principal = request.principal
    chain = selectors.chain_for_page(principal, pk)
    year = timezone.localdate().year
    with contextlib.suppress(ValueError):
        year = int(request.GET.get("year", year))
    versions = list(WorkPlan.objects.filter(chain=chain, year=year).select_related("by").order_by("-number"))
    shown = versions[0] if versions else None
    with contextlib.suppress(ValueError):
        wanted = int(request.GET.get("version", 0))
        shown = next((v for v in versions if v.number == wanted), shown)
    before = next((v for v in versions if shown and v.number == shown.number - 1), None)
    can_edit = services.may_write(principal, chain)
    if request.method == "POST":
        services.require_writer(principal, chain)
    form = None
    if can_edit:
        initial = {k: getattr(versions[0], k) for k in ("goals", "measures", "targets")} if versions else {}
        form = PlanForm(request.POST or None, initial=initial)
        saved = (
            None
            if request.method != "POST"
            else submit(
                form,
                lambda d: services.plan_save(
                    principal,
                    chain,
                    year,
                    **(d | {"targets": d["targets"].strip() or selectors.target_roster(chain)}),
                ),
            )
        )
        if saved:
            messages.success(request, f"已保存{year}年工作方案第 {saved.number} 版。")
            return redirect(f"{request.path}?year={year}")
    context = {
        "chain": chain,
        "year": year,
        "years": list(range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1)),
        "versions": versions,
        "shown": shown,
        "changes": _changes(before, shown) if shown else [],
        "form": form,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "chains/plan.html", context, status=status)
