"""The norms of 周外出、月会商、季签约 as data a coordinator edits, and the heads' monthly self-report
of days on recruiting (against speech 000's 80% of their time)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhaoshang.core.permissions import SYSTEM, require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.org.models import Unit, UnitKind
from zhaoshang.outreach.models import ACTIVITIES, PERIODS, CadenceNorm, RecruitingTime
from zhaoshang.outreach.services.common import may_write_for, require_coordinator

LEADER = "leader"


def subjects() -> list[tuple[str, str]]:
    """Who a norm applies to: each kind of unit that recruits, or each county leader."""
    kinds = UnitKind.objects.filter(is_jurisdiction=False).order_by("sort_order").values_list("code", "name")
    return [*kinds, (LEADER, "县级领导")]


def norms_save(by: Principal, county: Unit, rows: list[dict[str, object]]) -> int:
    """The county's norms as a whole: each row (subject, activity, period, minimum); a row with no
    minimum removes that norm. Returns how many changed."""
    require_coordinator(by, county)
    found: dict[str, str] = {}
    known = dict(subjects())
    for i, row in enumerate(rows, start=1):
        minimum = row.get("minimum")
        if row.get("subject") not in known:
            found[f"rows-{i}"] = f"第 {i} 行 适用对象：请选择"
        if row.get("activity") not in dict(ACTIVITIES) or row.get("period") not in dict(PERIODS):
            found[f"rows-{i}"] = f"第 {i} 行 活动和周期：请选择"
        if minimum is not None and not Decimal(0) <= Decimal(str(minimum)) <= Decimal(100):
            found[f"rows-{i}"] = f"第 {i} 行 不少于：应在 0 至 100 之间"
        if row.get("activity") == "time_share" and row.get("period") != "month":
            found[f"rows-{i}"] = f"第 {i} 行 周期：招商时间占比按月填报"
    if found:
        raise ValidationError(found)
    changed = 0
    with transaction.atomic():
        for row in rows:
            key = {
                "county": county,
                "subject": row["subject"],
                "activity": row["activity"],
                "period": row["period"],
            }
            current = CadenceNorm.objects.filter(**key).first()
            minimum = row.get("minimum")
            if minimum is None:
                if current is not None:
                    audited_update(current, {"minimum": Decimal(0)}, reason="取消该项要求")
                    changed += 1
                continue
            if current is None:
                audited_create(CadenceNorm(minimum=Decimal(str(minimum)), **key))
                changed += 1
            elif current.minimum != Decimal(str(minimum)):
                audited_update(current, {"minimum": Decimal(str(minimum))}, reason="调整频次要求")
                changed += 1
    return changed


def time_file(
    by: Principal,
    unit: Unit,
    month: dt.date,
    *,
    working_days: Decimal,
    recruiting_days: Decimal,
    note: str = "",
) -> RecruitingTime:
    """A unit head's days on recruiting in a month (self-reported; a second filing corrects the first)."""
    require(by, Action.EDIT_BUSINESS)
    if by is not SYSTEM and not may_write_for(by, unit):
        raise PermissionDenied("只能填报本单位的招商时间。")
    if by.user_id is None:
        raise PermissionDenied("招商时间由单位负责人本人填报。")
    month = month.replace(day=1)
    found: dict[str, str] = {}
    if working_days is None or not Decimal(1) <= working_days <= Decimal(31):
        found["working_days"] = "工作日（天）：应在 1 至 31 天之间"
    if recruiting_days is None or recruiting_days < 0:
        found["recruiting_days"] = "用于招商（天）：不能为负数"
    elif working_days is not None and recruiting_days > working_days:
        found["recruiting_days"] = "用于招商（天）：不能多于工作日"
    if found:
        raise ValidationError(found)
    current = RecruitingTime.objects.filter(unit=unit, person_id=by.user_id, month=month).first()
    values = {
        "working_days": working_days,
        "recruiting_days": recruiting_days,
        "note": (note or "").strip()[:200],
    }
    if current is None:
        return audited_create(RecruitingTime(unit=unit, person_id=by.user_id, month=month, **values))
    audited_update(current, values, reason="更正招商时间")
    return current
