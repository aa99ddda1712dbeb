"""The chains' daily digest: what the people of a chain must act on, in ONE message a day each.

A chain's chief, deputies and lead-unit staff hear that the month's report is due within
`DUE_WARNING_DAYS` (or overdue) and not yet filed, and how many of its target companies have
stalled; the staff of a problem's owner unit hear of their problems past the deadline. Nothing is
sent to a person with nothing to act on. Run by hand:
`zhaoshang jobs run chains.daily_digest --param today=2026-03-25`; a second run the same day adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils import timezone

from zhaoshang.chains import notices, selectors
from zhaoshang.chains.models import Chain, ChainProblem, Meeting, Report
from zhaoshang.core.jobs import JobRun, job
from zhaoshang.core.notifications import Draft, notify_many
from zhaoshang.org.selectors import members_of
from zhaoshang.projects.notices import STAFF_ROLES

DUE_WARNING_DAYS = 3
DIGEST_LINES = 20


def _people(chains: list[Chain]) -> dict[int, set[int]]:
    """Chain id → its chief, deputies and lead-unit staff: a fixed number of queries."""
    who: dict[int, set[int]] = defaultdict(set)
    staff: dict[int, set[int]] = defaultdict(set)
    for unit_id, user_id in members_of([c.lead_unit_id for c in chains], STAFF_ROLES):
        staff[unit_id].add(user_id)
    deputies = Chain.deputy_chiefs.through.objects.filter(chain__in=chains).values_list("chain_id", "user_id")
    for chain_id, user_id in deputies:
        who[chain_id].add(user_id)
    for c in chains:
        who[c.pk] |= {c.chief_id} | staff[c.lead_unit_id]
    return who


def digest_drafts(today: dt.date) -> list[Draft]:
    month = today.replace(day=1)
    chains = list(Chain.objects.order_by("pk"))
    lines: dict[int, list[dict[str, str]]] = defaultdict(list)
    who = _people(chains)
    filed = set(Report.objects.filter(month=month).values_list("chain_id", flat=True))
    meetings = {
        m.county_id: m
        for m in Meeting.objects.filter(
            month=month, held_on__isnull=True, due_on__lte=today + dt.timedelta(DUE_WARNING_DAYS)
        )
    }
    for chain in chains:
        meeting = meetings.get(chain.county_id)
        if meeting is not None and chain.pk not in filed:
            late = "已过截止日期" if meeting.due_on < today else f"{meeting.due_on:%m月%d日}截止"
            line = {
                "title": f"{chain.name}产业链{month:%Y年%m月}月报尚未填报（{late}）",
                "link": reverse("chain-report", args=[chain.pk, f"{month:%Y-%m}"]),
            }
            for user_id in who[chain.pk]:
                lines[user_id].append(line)
        n = selectors.overdue_targets(chain, today).count()  # one query a chain: a county has a handful
        if n:
            line = {
                "title": f"{chain.name}产业链有 {n} 家目标企业超过 {chain.target_stale_days} 天未推进",
                "link": reverse("chain-list-of", args=[chain.pk, "targets"]) + "?overdue=on",
            }
            for user_id in who[chain.pk]:
                lines[user_id].append(line)
    overdue = ChainProblem.objects.exclude(status="solved").filter(deadline__lt=today).select_related("chain")
    owners: dict[int, set[int]] = defaultdict(set)
    problems = list(overdue.order_by("deadline", "pk"))
    for unit_id, user_id in members_of({p.owner_unit_id for p in problems}, STAFF_ROLES):
        owners[unit_id].add(user_id)
    for p in problems:
        line = {
            "title": f"产业链问题逾期未解决：{p.title}（{p.chain.name}，{p.deadline:%Y-%m-%d}前）",
            "link": reverse("chain-problem", args=[p.pk]),
        }
        for user_id in owners[p.owner_unit_id]:
            lines[user_id].append(line)
    drafts = []
    for user_id in sorted(lines):
        mine = lines[user_id]
        more = len(mine) - DIGEST_LINES
        drafts.append(
            Draft(
                recipient_id=user_id,
                title=f"产业链待办日报（{today:%Y-%m-%d}）：{len(mine)} 项",
                body=f"另有 {more} 项未列出。" if more > 0 else "",
                link=reverse("home"),
                items=mine[:DIGEST_LINES],
            )
        )
    return drafts


def send_digest(today: dt.date) -> dict[str, Any]:
    drafts = digest_drafts(today)
    sent = notify_many(drafts, kind=notices.DIGEST, dedupe_key=f"chain_digest:{today:%Y-%m-%d}", day=today)
    return {"people": len(drafts), "sent": sent}


@job("chains.daily_digest", label="每日产业链待办日报", daily=True)
def daily_digest(run: JobRun) -> dict[str, Any]:
    raw = run.params.get("today")
    return send_digest(dt.date.fromisoformat(raw) if raw else timezone.localdate())
