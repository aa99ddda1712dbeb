"""Overviews of the chains: the chief's part of the home page (for each chain they lead as chief or
deputy, or whose lead unit they serve: this month's figures and report, the commitments of this month
beside what happened, open problems and overdue targets), the inspectors' year per chief, and the
month's 推进会 with the reports that came in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhaoshang.chains import selectors
from zhaoshang.chains.models import Chain, ChainProblem, Commitment, Meeting, Report, TargetCompany
from zhaoshang.core.scoping import Principal

SHOWN = 5


@dataclass
class ChiefCard:
    chain: Chain
    month: str  # "YYYY-MM", for the report's link
    today: dt.date
    figures: dict[str, Any]
    report: Report | None
    meeting: Meeting | None
    outcomes: list[selectors.Outcome]
    problems: list[ChainProblem]
    problems_more: bool
    overdue: list[TargetCompany]
    overdue_more: bool
    stale_days: int

    @property
    def report_due(self) -> bool:
        return self.report is None and not (self.meeting and self.meeting.held_on)


def led_chains(principal: Principal) -> QuerySet[Chain]:
    """The chains this person leads as chief or deputy, or works on in the lead unit."""
    if principal.user_id is None:
        return Chain.objects.none()
    mine = Q(chief_id=principal.user_id) | Q(deputy_chiefs=principal.user_id)
    if principal.unit_ids:
        mine |= Q(lead_unit_id__in=principal.unit_ids)
    ids = selectors.chains(principal).filter(mine).values("pk")
    return Chain.objects.filter(pk__in=ids).select_related("county").order_by("sort_order", "pk")


def cards(principal: Principal, today: dt.date | None = None) -> list[ChiefCard]:
    today = today or timezone.localdate()
    month = today.replace(day=1)
    rows = list(led_chains(principal)[:10])
    if not rows:
        return []
    reports = {
        r.chain_id: r
        for r in Report.objects.filter(chain__in=rows, month=month).prefetch_related("commitments")
    }
    meetings = {
        m.county_id: m for m in Meeting.objects.filter(county__in={c.county for c in rows}, month=month)
    }
    found = []
    for chain in rows:
        report = reports.get(chain.pk)
        problems = list(selectors.open_problems(chain)[: SHOWN + 1])
        overdue = list(selectors.overdue_targets(chain, today)[: SHOWN + 1])
        found.append(
            ChiefCard(
                chain=chain,
                month=f"{month:%Y-%m}",
                today=today,
                figures=selectors.report_figures(chain, month),
                report=report,
                meeting=meetings.get(chain.county_id),
                outcomes=selectors.outcomes(report) if report else [],
                problems=problems[:SHOWN],
                problems_more=len(problems) > SHOWN,
                overdue=overdue[:SHOWN],
                overdue_more=len(overdue) > SHOWN,
                stale_days=chain.target_stale_days,
            )
        )
    return found


@dataclass
class ChiefYear:
    chief: str
    chain: Chain
    filed: int = 0
    late: int = 0
    committed: int = 0
    kept: int = 0


def inspection(principal: Principal, year: int) -> list[ChiefYear]:
    """Per chain and chief, over the year: reports filed and late, commitments made and kept."""
    rows = {c.pk: ChiefYear(c.chief.display_name or c.chief.username, c) for c in selectors.chains(principal)}
    reports = Report.objects.filter(chain_id__in=rows, month__year=year)
    for r in reports.values("chain_id").annotate(n=Count("pk"), late=Count("pk", filter=Q(late=True))):
        rows[r["chain_id"]].filed, rows[r["chain_id"]].late = r["n"], r["late"]
    commitments = Commitment.objects.filter(report__in=reports).select_related("project", "report")
    for c in commitments:
        row = rows[c.report.chain_id]
        row.committed += 1
        on = c.project.signed_on if c.kind == "sign" else c.project.start_date
        row.kept += bool(on and on <= selectors.last_day(c.report.month))
    return list(rows.values())


def meeting_reports(meeting: Any) -> tuple[int, int, int]:
    """Chains of the meeting's county, reports filed for its month, and how many of them late."""
    chains_n = Chain.objects.filter(county_id=meeting.county_id).count()
    got = Report.objects.filter(chain__county_id=meeting.county_id, month=meeting.month).aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(late=True))
    )
    return chains_n, got["n"], got["late"]
