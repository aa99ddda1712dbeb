"""Following a project up: dated follow-ups with their next step, and the plan's milestones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from zhaoshang.core.permissions import require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.org import references
from zhaoshang.projects.models import FollowUp, Milestone, Project


def follow_up_add(
    by: Principal,
    project: Project,
    *,
    on: dt.date,
    what: str,
    next_step: str = "",
    next_date: dt.date | None = None,
) -> FollowUp:
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    if not what.strip():
        raise ValidationError({"what": "跟进情况：必须填写。"})
    if next_date is not None and next_date < on:
        raise ValidationError({"next_date": "下一步日期：不能早于本次跟进日期。"})
    # Saving it also refreshes the project's copy of its latest follow-up dates (FollowUp.save).
    return audited_create(
        FollowUp(
            project=project,
            on=on,
            by_id=by.user_id,
            what=what.strip(),
            next_step=next_step.strip(),
            next_date=next_date,
        )
    )


def milestone_add(
    by: Principal, project: Project, *, name: str, due: dt.date, owner_unit: Any = None
) -> Milestone:
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    if not name.strip():
        raise ValidationError({"name": "节点：必须填写。"})
    references.check_unit(by, owner_unit, field="owner_unit", label="责任单位")
    return audited_create(Milestone(project=project, name=name.strip(), due=due, owner_unit=owner_unit))


def milestone_done(by: Principal, milestone: Milestone, *, on: dt.date) -> Milestone:
    require_in_scope(by, milestone.project, Action.EDIT_BUSINESS)
    if milestone.done_on is not None:
        raise ValidationError({"done_on": f"节点“{milestone.name}”已于 {milestone.done_on:%Y-%m-%d} 完成。"})
    audited_update(milestone, {"done_on": on}, reason="方案节点完成")
    return milestone
