"""What a draft rulebook would change, shown before it is saved: for tracking rules, how many projects
in the user's scope start or stop raising an alert (the same SQL condition the alert list uses)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from zhaoshang.core.scoping import Principal
from zhaoshang.org.models import Unit
from zhaoshang.projects import selectors
from zhaoshang.projects.models import Project, Rulebook
from zhaoshang.projects.rulebooks import RuleIndex, tracking_index


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
