"""When a project needs attention. Pure: the project's dates in, alerts out.

Three rules, each a setting: a follow-up's next step is past its date; no follow-up for
`stale_days` (default 30); the project has stayed in its stage longer than that stage's limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from zhaoshang.projects.engines.lifecycle import LIVE_STAGES, STAGE_LABELS, Stage

# Days a project may stay in a stage before it is flagged (安庆: land within 3 months of signing …).
# Lead 90, negotiating 180, review 30, signed 90, land supplied 180, started 540, producing 730.
STAGE_LIMITS = dict(zip(LIVE_STAGES, (90, 180, 30, 90, 180, 540, 730), strict=True))
ACTIVE = frozenset(LIVE_STAGES)


@dataclass(frozen=True)
class Rules:
    stale_days: int = 30
    stage_limits: dict[Stage, int] = field(default_factory=lambda: dict(STAGE_LIMITS))


def loosest(every: Iterable[Rules]) -> Rules:
    """The loosest of several rule sets: the shortest follow-up interval, the shortest limit per stage.

    A project flagged under any of them is flagged under this one; a list orders by it.
    """
    every = list(every) or [Rules()]
    limits: dict[Stage, int] = {}
    for rules in every:
        for stage, limit in rules.stage_limits.items():
            limits[stage] = min(limit, limits.get(stage, limit))
    return Rules(stale_days=min(r.stale_days for r in every), stage_limits=limits)


@dataclass(frozen=True)
class Alert:
    kind: str  # overdue_step, no_follow_up, stage_too_long
    message: str
    days: int


def alerts_for(
    stage: Stage,
    stage_since: dt.date,
    last_follow_up: dt.date | None,
    next_date: dt.date | None,
    created: dt.date,
    today: dt.date,
    rules: Rules | None = None,
) -> list[Alert]:
    rules = rules or Rules()
    if stage not in ACTIVE:
        return []
    out = []
    if next_date is not None and next_date < today:
        days = (today - next_date).days
        out.append(Alert("overdue_step", f"下一步已逾期 {days} 天（应于 {next_date:%Y-%m-%d} 前完成）", days))
    since = last_follow_up or created
    if (today - since).days > rules.stale_days:
        days = (today - since).days
        out.append(
            Alert("no_follow_up", f"已 {days} 天没有跟进记录（要求每 {rules.stale_days} 天至少一次）", days)
        )
    limit = rules.stage_limits.get(stage)
    if limit is not None and (today - stage_since).days > limit:
        days = (today - stage_since).days
        out.append(
            Alert(
                "stage_too_long", f"处于“{STAGE_LABELS[stage]}”阶段已 {days} 天，超过 {limit} 天的时限", days
            )
        )
    return out
