"""Audited writes of the work plans, the month's 推进会 and the chief's reports, and the chain's rule in pre-review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhaoshang.chains import selectors
from zhaoshang.chains.models import (
    COMMITMENT_KINDS,
    Chain,
    Commitment,
    Meeting,
    Report,
    WorkPlan,
)
from zhaoshang.chains.services.chains import _text, require_writer
from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM, require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.projects.engines.prereview import ExtraRule
from zhaoshang.projects.models import Project

# --- 工作方案 ---------------------------------------------------------------------------------------


def plan_save(
    by: Principal, chain: Chain, year: int, *, goals: str, measures: str, targets: str = "", note: str = ""
) -> WorkPlan:
    """A new version of the year's plan; earlier versions stay as they were."""
    require_writer(by, chain)
    found: dict[str, str] = {}
    values = {"goals": goals, "measures": measures, "targets": targets, "note": note}
    _text(values, "goals", "工作目标", found, required=True)
    _text(values, "measures", "工作措施", found, required=True)
    _text(values, "targets", "", found, required=False)
    _text(values, "note", "", found, required=False)
    this_year = timezone.localdate().year
    if not this_year - 5 <= year <= this_year + 1:
        found["year"] = f"年度：只能是 {this_year - 5} 至 {this_year + 1} 年"
    if found:
        raise ValidationError(found)
    with transaction.atomic():
        last = WorkPlan.objects.filter(chain=chain, year=year).aggregate(n=Max("number"))["n"] or 0
        assert by.user_id is not None or by is SYSTEM
        return audited_create(
            WorkPlan(chain=chain, year=year, number=last + 1, by_id=by.user_id or chain.chief_id, **values),
            reason=values["note"] or f"第 {last + 1} 版",
        )


# --- 推进会 and the chief's monthly report --------------------------------------------------------------


def first_of(month: dt.date) -> dt.date:
    return month.replace(day=1)


def meeting_schedule(by: Principal, county: Any, month: dt.date, due_on: dt.date) -> Meeting:
    require(by, Action.CONFIGURE_RULES)
    month = first_of(month)
    if due_on < month:
        raise ValidationError({"due_on": f"报告截止日期：不能早于 {month:%Y年%m月}"})
    meeting = Meeting.objects.filter(county=county, month=month).first()
    if meeting is None:
        return audited_create(Meeting(county=county, month=month, due_on=due_on))
    if meeting.held_on:
        raise ValidationError({"due_on": "报告截止日期：推进会已召开，不能再改"})
    audited_update(meeting, {"due_on": due_on}, reason="调整报告截止日期")
    return meeting


def meeting_held(by: Principal, meeting: Meeting, on: dt.date) -> int:
    """The meeting was held: every report of the month is locked with its figures as they stood."""
    require(by, Action.CONFIGURE_RULES)
    if meeting.held_on:
        raise ValidationError({"held_on": f"召开日期：已于 {meeting.held_on:%Y-%m-%d} 召开"})
    if on < meeting.month or on > timezone.localdate():
        raise ValidationError({"held_on": "召开日期：须在本月之内且不晚于今天"})
    with transaction.atomic():
        audited_update(meeting, {"held_on": on}, reason="推进会召开，锁定月报")
        reports = list(
            Report.objects.filter(
                chain__county=meeting.county, month=meeting.month, locked=False
            ).select_related("chain")
        )
        for report in reports:
            audited_update(
                report,
                {"locked": True, "figures": selectors.report_figures(report.chain, report.month)},
                reason="推进会召开，月报锁定",
            )
    return len(reports)


REPORT_TEXTS = {
    "achievements": "工作成效",
    "shortfalls": "问题和不足",
    "causes": "原因分析",
    "plan": "下月计划",
}


def report_file(
    by: Principal,
    chain: Chain,
    month: dt.date,
    *,
    commitments: Iterable[tuple[Project, str]] = (),
    at: dt.datetime | None = None,
    **texts: str,
) -> Report:
    """File (or, until the meeting locks it, revise) the chain's report for `month`.

    Commitments are the chain's own projects, to sign or to land this month; the figures part is
    the data's and is computed, never typed."""
    require_writer(by, chain)
    month = first_of(month)
    at = at or timezone.now()
    found: dict[str, str] = {}
    values = {k: texts.get(k, "") for k in REPORT_TEXTS}
    for name, label in REPORT_TEXTS.items():
        _text(values, name, label, found, required=True)
    if month > first_of(timezone.localtime(at).date()):
        found["month"] = "月份：不能填报以后月份的月报"
    chosen = list(commitments)
    own = set(selectors.chain_project_ids(chain))
    for project, kind in chosen:
        if project.pk not in own:
            found["commitments"] = f"承诺项目：{project.name} 不在本产业链的项目清单中"
        elif kind not in dict(COMMITMENT_KINDS):
            found["commitments"] = "承诺事项：只能是本月签约或本月落地"
    if found:
        raise ValidationError(found)
    meeting = Meeting.objects.filter(county=chain.county, month=month).first()
    report = Report.objects.filter(chain=chain, month=month).first()
    if report is not None and report.locked:
        raise ValidationError({"month": f"月份：{month:%Y年%m月}推进会已召开，月报已锁定"})
    late = bool(meeting and timezone.localtime(at).date() > meeting.due_on)
    held = bool(meeting and meeting.held_on)
    with transaction.atomic():
        if report is None:
            report = audited_create(
                Report(
                    chain=chain,
                    month=month,
                    filed_by_id=by.user_id or chain.chief_id,
                    filed_at=at,
                    late=late,
                    locked=held,  # filed after the meeting: kept as filed, marked late
                    figures=selectors.report_figures(chain, month) if held else {},
                    **values,
                ),
                reason="逾期填报" if late else "",
            )
        else:
            audited_update(report, {**values, "late": report.late or late}, reason="修改月报")
        before = sorted((c.project_id, c.kind) for c in report.commitments.all())
        wanted = sorted({(p.pk, k) for p, k in chosen})
        if before != wanted:
            report.commitments.all().delete()  # the commitment set is part of the report being drafted
            Commitment.objects.bulk_create(
                [Commitment(report=report, project_id=p, kind=k) for p, k in wanted]
            )
            names = dict(Project.objects.filter(pk__in=[p for p, _ in wanted]).values_list("pk", "name"))
            labels = dict(COMMITMENT_KINDS)
            audit.record(
                AuditEvent.Action.UPDATE,
                report,
                after={"承诺": [f"{names[p]}（{labels[k]}）" for p, k in wanted]},
                reason="承诺项目",
            )
    return report


# --- the pre-review's chain rule ------------------------------------------------------------------------


def review_thresholds(project: Project) -> list[ExtraRule]:
    """The entry thresholds of each chain the project is placed on, for its pre-review."""
    chains = Chain.objects.filter(nodes__projects__project=project).distinct().order_by("pk")
    rules = []
    for chain in chains:
        thresholds = {
            key: value
            for key, value in (
                ("min_investment", chain.min_investment),
                ("min_intensity", chain.min_intensity),
                ("min_tax_per_mu", chain.min_tax_per_mu),
                ("max_energy_per_output", chain.max_energy_per_output),
            )
            if value is not None
        }
        if thresholds:
            rules.append(ExtraRule(f"产业链“{chain.name}”准入门槛", thresholds))
    return rules
