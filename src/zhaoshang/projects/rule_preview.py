"""What a draft rulebook would change, shown before it is saved: for tracking rules, how many projects
in the user's scope start or stop raising an alert (the same SQL condition the alert list uses); for
pre-review rules, how the rules' suggestion for the projects not yet signed would change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from zhaoshang.core.scoping import Principal
from zhaoshang.org.models import Unit
from zhaoshang.projects import selectors
from zhaoshang.projects.engines import cohorts, prereview
from zhaoshang.projects.engines.lifecycle import Stage
from zhaoshang.projects.models import RANKS, REVIEW_DECISIONS, Project, Rulebook
from zhaoshang.projects.rulebooks import RuleIndex, cohort_rules, tracking_index

RANK_LABELS = dict(RANKS[1:])


@dataclass(frozen=True)
class AlertChange:
    alerting_now: int
    alerting_then: int
    newly: int  # alerting under the draft, not now
    cleared: int  # alerting now, not under the draft


def with_draft(index: RuleIndex, unit: Unit, content: dict[str, Any]) -> RuleIndex:
    """The same rulebooks with the unit's own replaced by (or joined by) the draft, unsaved."""
    others = [b for b in index.books if b.unit_id != unit.pk]
    return RuleIndex(index.kind, [*others, Rulebook(unit=unit, kind=index.kind, content=content)])


def tracking_change(principal: Principal, unit: Unit, content: dict[str, Any], today: dt.date) -> AlertChange:
    index = tracking_index(principal)
    now = selectors.alerting_for(index, today)
    then = selectors.alerting_for(with_draft(index, unit, content), today)
    rows = Project.objects.visible_to(principal)
    return AlertChange(
        alerting_now=rows.filter(now).count(),
        alerting_then=rows.filter(then).count(),
        newly=rows.filter(then).exclude(now).count(),
        cleared=rows.filter(now).exclude(then).count(),
    )


# Before signing: the projects a change of the pre-review rules still concerns.
UNDER_REVIEW = (Stage.LEAD, Stage.NEGOTIATING, Stage.REVIEW)
SUGGESTIONS = {k: label for k, label in REVIEW_DECISIONS if k}  # 通过, 有条件通过, 不通过
SHOWN = 20


@dataclass(frozen=True)
class ReviewChange:
    considered: int
    now: dict[str, int]  # suggestion → projects, under the rules in force
    then: dict[str, int]  # the same under the draft
    changed: list[tuple[Project, str, str]]  # (project, suggestion now, under the draft), the first SHOWN
    changed_count: int

    @property
    def lines(self) -> list[tuple[str, str, int, int]]:
        """(suggestion, its label, projects now, under the draft), for the page."""
        return [(k, label, self.now[k], self.then[k]) for k, label in SUGGESTIONS.items()]


def review_change(principal: Principal, unit: Unit, content: dict[str, Any]) -> ReviewChange:
    """The rules' suggestion for every project of the unit not yet signed, now and under the draft."""
    from zhaoshang.projects.services import reviews  # services import this module's siblings

    index = RuleIndex.visible(principal, "review")
    draft = with_draft(index, unit, content)
    projects = list(
        Project.objects.visible_to(principal)
        .filter(stage__in=UNDER_REVIEW)
        .filter(Q(town__path__startswith=unit.path) | Q(park__path__startswith=unit.path))
        .select_related("town", "park")
        .order_by("-planned_investment", "pk")
    )
    facts = reviews.review_facts(projects)
    now: dict[str, int] = dict.fromkeys(SUGGESTIONS, 0)
    then = dict(now)
    changed = []
    for project in projects:
        before = prereview.run(index.for_project(project), facts[project.pk]).suggestion
        after = prereview.run(draft.for_project(project), facts[project.pk]).suggestion
        now[before] += 1
        then[after] += 1
        if before != after:
            changed.append((project, SUGGESTIONS[before], SUGGESTIONS[after]))
    return ReviewChange(len(projects), now, then, changed[:SHOWN], len(changed))


@dataclass(frozen=True)
class CohortChange:
    results: list[cohorts.CohortResult]  # every requirement in force under the draft, with the projects
    met_now: int
    met_then: int
    sources: list[str]

    @property
    def pairs(self) -> list[tuple[cohorts.CohortResult, str]]:
        """(result, its 500 强 label), as the cohort table reads them."""
        return [(r, ranks_label(r.rule)) for r in self.results]


def cohort_change(principal: Principal, unit: Unit, content: dict[str, Any]) -> CohortChange:
    """The cohort page under the draft: each requirement (the layers above included) and who meets it."""
    facts = [selectors.cohort_facts(p) for p in selectors.cohort_projects(principal, unit)]
    today = timezone.localdate()
    now = cohorts.evaluate_all(cohort_rules(unit).rules, facts, today)
    layered = cohort_rules(unit, draft=content)
    then = cohorts.evaluate_all(layered.rules, facts, today)
    return CohortChange(then, sum(r.met for r in now), sum(r.met for r in then), layered.sources)


def ranks_label(rule: cohorts.CohortRule) -> str:
    if rule.ranks is None:
        return "不限"
    if rule.ranks == frozenset(cohorts.RANK_CODES):
        return "三类 500 强"
    return "、".join(RANK_LABELS[r] for r in rule.rank_codes)
