"""重大项目: the coordinators' threshold, and the pre-work checklist the task force keeps (speech 004)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core.permissions import require, require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.org.models import Unit
from zhaoshang.projects.committee import PRE_WORK_ITEMS, MajorTier, PreWork
from zhaoshang.projects.models import Project

ITEM_LABELS = dict(PRE_WORK_ITEMS)


def major_tier_save(by: Principal, unit: Unit, *, min_investment: Decimal | None) -> MajorTier:
    """A coordinator sets the unit's 重大项目 threshold (计划投资, 万元)."""
    require(by, Action.CONFIGURE_RULES)
    require_in_scope(by, unit, Action.CONFIGURE_RULES)
    if min_investment is None or min_investment <= 0:
        raise ValidationError({"min_investment": "重大项目计划投资下限：须为大于 0 的万元数。"})
    with transaction.atomic():
        tier = MajorTier.objects.select_for_update().filter(unit=unit).first()
        if tier is None:
            return audited_create(
                MajorTier(unit=unit, min_investment=min_investment), reason="设定重大项目标准"
            )
        audited_update(tier, {"min_investment": min_investment}, reason="修改重大项目标准")
        return tier


def pre_work_save(
    by: Principal,
    project: Project,
    *,
    item: str,
    planned_on: dt.date | None,
    done_on: dt.date | None,
    note: str = "",
) -> PreWork:
    """Plan or close one item of the pre-work checklist; each change is audited on the project's record."""
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    label = ITEM_LABELS.get(item)
    if label is None:
        raise ValidationError({"item": "前期工作：只能是" + "、".join(ITEM_LABELS.values()) + "之一。"})
    if done_on is not None and done_on > timezone.localdate():
        raise ValidationError({"done_on": f"{label}完成日期：不能晚于今天。"})
    with transaction.atomic():
        work = PreWork.objects.select_for_update().filter(project=project, item=item).first()
        if work is None:
            return audited_create(
                PreWork(
                    project=project, item=item, planned_on=planned_on, done_on=done_on, note=note.strip()
                ),
                reason=f"前期工作：{label}",
            )
        audited_update(
            work,
            {"planned_on": planned_on, "done_on": done_on, "note": note.strip()},
            reason=f"前期工作：{label}",
        )
        return work
