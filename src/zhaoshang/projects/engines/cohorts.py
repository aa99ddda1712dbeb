"""Cohort requirements (批次开工要求): of the projects signed in a year, or of a kind of investor, a
share must have reached a stage by a date ("2018 年签约项目今年全部开工, 2019 年签约项目开工一半,
其中 3 类 500 强项目全部开工": the 500 强 rule is of the two signing years, so `signed_year` may list
several). Pure: the projects' facts in, who is covered and who is behind out.

Rules come in layers: a city's required rules, then a county's (or a park's) own, which add to them
(`combine`): where both ask of the same cohort the stricter rule stands, and each says whose it is.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from zhaoshang.projects.engines.errors import RulesError
from zhaoshang.projects.engines.lifecycle import PATH, STAGE_LABELS, Stage

RANK_CODES = ("global500", "china500", "private500")
# Stages a cohort may be asked to reach, each with the project's date that says when it was reached.
REACH_DATES = {
    Stage.SIGNED: None,
    Stage.LAND_SUPPLIED: None,
    Stage.STARTED: "start_date",
    Stage.PRODUCING: "production_date",
    Stage.FULL_OUTPUT: "full_output_date",
}


@dataclass(frozen=True)
class CohortRule:
    name: str
    share: float
    reach: Stage
    by: dt.date
    signed_years: tuple[int, ...] = ()  # empty: signed in any year
    ranks: frozenset[str] | None = None  # None: any project, ranked or not
    count_dropped: bool = False  # a withdrawn project usually leaves the cohort with its contract
    source: str = ""  # whose rule it is: "市级规则", "本县规则" … (set by `combine`)

    @property
    def signed_label(self) -> str:
        return "、".join(str(y) for y in self.signed_years) + " 年" if self.signed_years else "不限"

    @property
    def cohort(self) -> tuple[tuple[int, ...], frozenset[str] | None, Stage]:
        """What the rule asks of: two rules of the same cohort are one requirement, the stricter stands."""
        return (self.signed_years, self.ranks, self.reach)

    def stricter_than(self, other: CohortRule) -> bool:
        """A larger share, or the same share by an earlier date."""
        return (self.share, other.by) > (other.share, self.by)

    @property
    def rank_codes(self) -> tuple[str, ...]:
        """The ranks covered in their usual order (a set has none); empty when any project counts."""
        return tuple(r for r in RANK_CODES if self.ranks is not None and r in self.ranks)

    @property
    def reach_label(self) -> str:
        return STAGE_LABELS[self.reach]


@dataclass(frozen=True)
class CohortFacts:
    key: Any  # the project's id, or the project itself: returned as given
    signed_on: dt.date | None
    stage: Stage
    investor_rank: str = ""
    start_date: dt.date | None = None
    production_date: dt.date | None = None
    full_output_date: dt.date | None = None


@dataclass(frozen=True)
class CohortResult:
    rule: CohortRule
    covered: list[Any]
    reached: list[Any]
    behind: list[Any]
    required: int
    met: bool
    overdue: bool  # past the date and not met

    @property
    def share_achieved(self) -> float | None:
        return len(self.reached) / len(self.covered) if self.covered else None


def _rule(n: int, raw: Any, problems: list[str]) -> CohortRule | None:
    if not isinstance(raw, dict):
        problems.append(f"要求 {n}：应为一个对象（{{…}}）")
        return None
    name = raw.get("name")
    place = f"要求 {n}（{name}）" if isinstance(name, str) and name.strip() else f"要求 {n}"
    before = len(problems)
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{place}的名称：必须填写")
    share = raw.get("share")
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        problems.append(f"{place}的比例：必须是大于 0、不大于 1 的小数（全部为 1，一半为 0.5）")
    try:
        reach = Stage(raw.get("reach", "started"))
        if reach not in REACH_DATES:
            raise ValueError
    except ValueError:
        reach = Stage.STARTED
        problems.append(f"{place}的目标阶段：只能是 {'、'.join(s.value for s in REACH_DATES)} 之一")
    try:
        by = dt.date.fromisoformat(str(raw.get("by")))
    except ValueError:
        by = dt.date.min
        problems.append(f"{place}的截止日期：应写成 YYYY-MM-DD")
    year = raw.get("signed_year")
    years = year if isinstance(year, list) else [] if year is None else [year]
    if (year is not None and not years) or any(
        isinstance(y, bool) or not isinstance(y, int) or not 1990 <= y <= 2100 for y in years
    ):
        problems.append(f"{place}的签约年度：必须是四位年份（可列几个），或 null 表示不限")
        years = []
    rank = raw.get("rank")
    ranks: frozenset[str] | None
    if rank is None:
        ranks = None
    elif rank == "any":
        ranks = frozenset(RANK_CODES)
    else:
        listed = [rank] if isinstance(rank, str) else rank
        if not isinstance(listed, list) or not listed or any(r not in RANK_CODES for r in listed):
            problems.append(
                f"{place}的 500 强类别：只能是 null、any，或 {'、'.join(RANK_CODES)} 中的一个或几个"
            )
            listed = []
        ranks = frozenset(listed)
    dropped = raw.get("count_dropped", False)
    if not isinstance(dropped, bool):
        problems.append(f"{place}的 count_dropped：只能是 true 或 false")
    unknown = sorted(set(raw) - {"name", "share", "reach", "by", "signed_year", "rank", "count_dropped"})
    if unknown:
        problems.append(f"{place}：不认识的项 {'、'.join(unknown)}")
    if len(problems) > before:
        return None
    return CohortRule(
        name=name.strip(),
        share=float(share),
        reach=reach,
        by=by,
        signed_years=tuple(sorted(set(years))),
        ranks=ranks,
        count_dropped=dropped,
    )


def parse(content: Any) -> list[CohortRule]:
    """Cohort rules from a rulebook's content ({"rules": [...]}), or `RulesError` naming each place."""
    if not isinstance(content, dict) or not isinstance(content.get("rules"), list):
        raise RulesError(["批次开工要求：应为一个对象，rules 为要求的列表"])
    problems: list[str] = []
    rules = [r for n, raw in enumerate(content["rules"], start=1) if (r := _rule(n, raw, problems))]
    unknown = sorted(set(content) - {"rules"})
    if unknown:
        problems.append(f"批次开工要求：不认识的项 {'、'.join(unknown)}")
    if problems:
        raise RulesError(problems)
    return rules


def combine(layers: Sequence[tuple[str, Sequence[CohortRule]]]) -> list[CohortRule]:
    """The rules of every layer, the highest first (a city's, then a county's): a lower layer adds to
    the ones above it; where two ask of the same cohort, the stricter stands in the first one's place."""
    combined: list[CohortRule] = []
    for source, rules in layers:
        for rule in rules:
            rule = replace(rule, source=source)
            same = next((i for i, r in enumerate(combined) if r.cohort == rule.cohort), None)
            if same is None:
                combined.append(rule)
            elif rule.stricter_than(combined[same]):
                combined[same] = rule
    return combined


def covers(rule: CohortRule, facts: CohortFacts) -> bool:
    if facts.signed_on is None:
        return False  # a cohort is of signed projects
    if rule.signed_years and facts.signed_on.year not in rule.signed_years:
        return False
    if rule.ranks is not None and facts.investor_rank not in rule.ranks:
        return False
    return rule.count_dropped or facts.stage != Stage.DROPPED


def reached(rule: CohortRule, facts: CohortFacts) -> bool:
    """At or beyond the stage, and (where the stage has its date) by the rule's date."""
    if facts.stage not in PATH or PATH.index(facts.stage) < PATH.index(rule.reach):
        return False
    name = REACH_DATES[rule.reach]
    on = getattr(facts, name) if name else None
    # A stage without its date on file is trusted: the move itself required the date.
    return on is None or on <= rule.by


def required_count(share: float, covered: int) -> int:
    # Decimal of the written share, so 0.3 × 10 is 3 and not 3.0000000000000004 → 4.
    return math.ceil(Decimal(str(share)) * covered)


def evaluate(rule: CohortRule, projects: Iterable[CohortFacts], today: dt.date) -> CohortResult:
    covered = [f for f in projects if covers(rule, f)]
    done = [f for f in covered if reached(rule, f)]
    behind = [f for f in covered if not reached(rule, f)]
    required = required_count(rule.share, len(covered))
    met = len(done) >= required
    return CohortResult(
        rule=rule,
        covered=[f.key for f in covered],
        reached=[f.key for f in done],
        behind=[f.key for f in behind],
        required=required,
        met=met,
        overdue=not met and today > rule.by,
    )


def evaluate_all(
    rules: Sequence[CohortRule], projects: Sequence[CohortFacts], today: dt.date
) -> list[CohortResult]:
    return [evaluate(rule, projects, today) for rule in rules]
