"""Following a project up: dated follow-ups with their next step, and the plan's milestones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core import corrections
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
    _check_follow_up(on=on, what=what, next_date=next_date)
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


def _check_follow_up(*, on: dt.date, what: str, next_date: dt.date | None) -> None:
    found = {}
    if not what.strip():
        found["what"] = "跟进情况：必须填写。"
    if on > timezone.localdate():
        found["on"] = "跟进日期：不能晚于今天。"
    if next_date is not None and next_date < on:
        found["next_date"] = "下一步日期：不能早于本次跟进日期。"
    if found:
        raise ValidationError(found)


def follow_up_correct(
    by: Principal,
    follow_up: FollowUp,
    *,
    reason: str,
    on: dt.date,
    what: str,
    next_step: str = "",
    next_date: dt.date | None = None,
) -> FollowUp:
    """Replace a wrong follow-up by a corrected one; the original stays, withdrawn, pointing to it."""
    require_in_scope(by, follow_up.project, Action.EDIT_BUSINESS)
    corrections.check_correctable(by, follow_up, follow_up.by_id)
    reason = corrections.clean_reason(reason)
    _check_follow_up(on=on, what=what, next_date=next_date)
    with transaction.atomic():
        corrections.withdraw(by, follow_up, reason=reason, corrected=True)
        return audited_create(
            FollowUp(
                project=follow_up.project,
                on=on,
                by_id=by.user_id,
                what=what.strip(),
                next_step=next_step.strip(),
                next_date=next_date,
                corrects=follow_up,
            ),
            reason=f"更正 {follow_up.on:%Y-%m-%d} 的跟进记录：{reason}",
        )


def follow_up_withdraw(by: Principal, follow_up: FollowUp, *, reason: str) -> None:
    """Withdraw a wrong follow-up; the project's latest follow-up dates follow (FollowUp.save)."""
    require_in_scope(by, follow_up.project, Action.EDIT_BUSINESS)
    corrections.check_correctable(by, follow_up, follow_up.by_id)
    corrections.withdraw(by, follow_up, reason=corrections.clean_reason(reason))


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
