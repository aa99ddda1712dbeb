"""Post-signing time limits as data, and where a project stands against them. Pure: no Django.

The tracking rulebook (`rules/tracking.json`, or a county's or park's own) holds the follow-up
interval, the days a project may stay in each stage, and the deadlines counted from a dated event:
land settled and a share of the registered capital in place within months of signing (安庆), work
started within months of moving into a standard factory building, and idle land (《闲置土地处置办法》:
not started a year after the contracted start date, a fee of 20% of the land price; two years, taken
back). What each kind of deadline measures is code; its months, shares and warning window are data.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zhaoshang.projects.engines.errors import RulesError
from zhaoshang.projects.engines.lifecycle import LIVE_STAGES, PATH, STAGE_LABELS, Stage

KIND_LABELS = {
    "land_settled": "用地落实",
    "capital_in_place": "注册资本到位",
    "start_after_move_in": "入驻厂房后开工",
    "idle_land": "闲置土地",
}
GREEN, AMBER, RED, NONE = "green", "amber", "red", "none"
STATUS_LABELS = {GREEN: "正常", AMBER: "临近", RED: "逾期", NONE: "不适用"}
_SEVERITY = {NONE: 0, GREEN: 1, AMBER: 2, RED: 3}
# The stages a rulebook may limit: the live ones.
LIMITED_STAGES = LIVE_STAGES


@dataclass(frozen=True)
class Deadline:
    kind: str
    label: str
    months: int
    warn_days: int = 15
    share: float = 0.25  # capital_in_place: share of the registered capital
    reclaim_months: int = 24  # idle_land: when the land is taken back
    fee_share: float = 0.2  # idle_land: the idle-land fee as a share of the land price


@dataclass(frozen=True)
class TrackingRules:
    stale_days: int = 30
    stage_limits: dict[Stage, int] = field(default_factory=dict)
    deadlines: tuple[Deadline, ...] = ()


@dataclass(frozen=True)
class ProjectFacts:
    """What the deadlines read of a project; amounts in 万元."""

    stage: Stage
    signed_on: dt.date | None = None
    start_date: dt.date | None = None
    moved_in_on: dt.date | None = None
    promised_start: dt.date | None = None
    registered_capital: Decimal | None = None
    funds_in_place: Decimal = Decimal(0)
    # The ledger's dated arrivals when it was read; without them (or with none on file, as for
    # projects imported with a total only) the running total `funds_in_place` counts.
    arrivals: tuple[tuple[dt.date, Decimal], ...] = ()


@dataclass(frozen=True)
class DeadlineCheck:
    kind: str
    label: str
    due: dt.date | None
    status: str  # green, amber, red, none
    message: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _span(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return {1: "一年", 2: "两年", 3: "三年"}.get(years, f"{years} 年")
    return f"{months} 个月"


def _amount(value: Decimal) -> str:
    # 2500.0000 reads as 2500: the stored four decimals are precision, not what people write.
    return format(Decimal(value).normalize(), "f")


def _percent(share: float) -> str:
    return f"{share * 100:g}%"


# ---------------------------------------------------------------- parsing


def _int(value: Any, *, minimum: int) -> int | None:
    # JSON true is an int to Python: refuse it, a rule of "true days" is a typo.
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        return None
    return value


def _share(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        return None
    return float(value)


def _deadline(n: int, raw: Any, problems: list[str]) -> Deadline | None:
    if not isinstance(raw, dict):
        problems.append(f"时限 {n}：应为一个对象（{{…}}）")
        return None
    kind = raw.get("kind")
    if kind not in KIND_LABELS:
        problems.append(f"时限 {n} 的类别：只能是 {'、'.join(KIND_LABELS)} 之一")
        return None
    place = f"时限 {n}（{KIND_LABELS[kind]}）"
    before = len(problems)
    found: dict[str, Any] = {"kind": kind}
    label = raw.get("label", KIND_LABELS[kind])
    if not isinstance(label, str) or not label.strip():
        problems.append(f"{place}的名称：必须填写")
    else:
        found["label"] = label.strip()
    if (months := _int(raw.get("months"), minimum=1)) is None:
        problems.append(f"{place}的月数：必须是正整数")
    else:
        found["months"] = months
    if "warn_days" in raw:
        if (warn := _int(raw["warn_days"], minimum=0)) is None:
            problems.append(f"{place}的提前提醒天数：必须是不小于 0 的整数")
        else:
            found["warn_days"] = warn
    if kind == "capital_in_place":
        if (share := _share(raw.get("share"))) is None:
            problems.append(f"{place}的到位比例：必须是大于 0、不大于 1 的小数（如 0.25）")
        else:
            found["share"] = share
    if kind == "idle_land":
        if (reclaim := _int(raw.get("reclaim_months", 24), minimum=1)) is None:
            problems.append(f"{place}的收回月数：必须是正整数")
        elif months is not None and reclaim <= months:
            problems.append(f"{place}的收回月数：必须大于认定闲置的月数 {months}")
        else:
            found["reclaim_months"] = reclaim
        if (fee := _share(raw.get("fee_share", 0.2))) is None:
            problems.append(f"{place}的闲置费比例：必须是大于 0、不大于 1 的小数（如 0.2）")
        else:
            found["fee_share"] = fee
    unknown = sorted(
        set(raw) - {"kind", "label", "months", "warn_days", "share", "reclaim_months", "fee_share"}
    )
    if unknown:
        problems.append(f"{place}：不认识的项 {'、'.join(unknown)}")
    if len(problems) > before:
        return None
    return Deadline(**found)


def parse(content: Any) -> TrackingRules:
    """Tracking rules from a rulebook's content, or `RulesError` listing every problem."""
    if not isinstance(content, dict):
        raise RulesError(["跟踪时限：应为一个对象（{…}）"])
    problems: list[str] = []
    stale = _int(content.get("stale_days"), minimum=1)
    if stale is None:
        problems.append("跟进间隔天数（stale_days）：必须是正整数")
    limits: dict[Stage, int] = {}
    raw_limits = content.get("stage_limits", {})
    if not isinstance(raw_limits, dict):
        problems.append("阶段时限（stage_limits）：应为一个对象，阶段对应天数")
        raw_limits = {}
    for key, days in raw_limits.items():
        try:
            stage = Stage(key)
        except ValueError:
            problems.append(f"阶段时限：不认识的阶段 {key}")
            continue
        if stage not in LIMITED_STAGES:
            problems.append(f"阶段时限：“{STAGE_LABELS[stage]}”阶段不设时限")
        elif (value := _int(days, minimum=1)) is None:
            problems.append(f"阶段时限“{STAGE_LABELS[stage]}”的天数：必须是正整数")
        else:
            limits[stage] = value
    raw_deadlines = content.get("deadlines", [])
    deadlines: list[Deadline] = []
    if not isinstance(raw_deadlines, list):
        problems.append("时限（deadlines）：应为一个列表")
    else:
        for n, raw in enumerate(raw_deadlines, start=1):
            if (found := _deadline(n, raw, problems)) is not None:
                deadlines.append(found)
    unknown = sorted(set(content) - {"stale_days", "stage_limits", "deadlines"})
    if unknown:
        problems.append(f"跟踪时限：不认识的项 {'、'.join(unknown)}")
    if problems:
        raise RulesError(problems)
    assert stale is not None
    return TrackingRules(stale_days=stale, stage_limits=limits, deadlines=tuple(deadlines))


# ---------------------------------------------------------------- checking


def _reached(stage: Stage, goal: Stage) -> bool:
    return stage in PATH and PATH.index(stage) >= PATH.index(goal)


def _timed(rule: Deadline, due: dt.date, today: dt.date, pending: str) -> DeadlineCheck:
    """Not yet met: red past the due date, amber inside the warning window, else green."""
    left = (due - today).days
    if left < 0:
        return DeadlineCheck(
            rule.kind, rule.label, due, RED, f"{pending}，已超过时限 {-left} 天（应于 {due:%Y-%m-%d} 前）"
        )
    status = AMBER if left <= rule.warn_days else GREEN
    return DeadlineCheck(
        rule.kind, rule.label, due, status, f"{pending}，距时限还有 {left} 天（{due:%Y-%m-%d}）"
    )


def _none(rule: Deadline, why: str) -> DeadlineCheck:
    return DeadlineCheck(rule.kind, rule.label, None, NONE, why)


def _land_settled(rule: Deadline, f: ProjectFacts, today: dt.date) -> DeadlineCheck:
    if f.signed_on is None:
        return _none(rule, "尚未签约")
    due = add_months(f.signed_on, rule.months)
    if _reached(f.stage, Stage.LAND_SUPPLIED):
        return DeadlineCheck(rule.kind, rule.label, due, GREEN, "已落实用地")
    return _timed(rule, due, today, "尚未落实用地")


def _capital(rule: Deadline, f: ProjectFacts, today: dt.date) -> DeadlineCheck:
    if f.signed_on is None:
        return _none(rule, "尚未签约")
    if not f.registered_capital or f.registered_capital <= 0:
        return _none(rule, "未填写注册资本，无法核对到位比例")
    due = add_months(f.signed_on, rule.months)
    needed = (f.registered_capital * Decimal(str(rule.share))).quantize(Decimal("0.0001"))
    if f.arrivals:
        counted = sum((amount for on, amount in f.arrivals if on <= due), Decimal(0))
    else:
        counted = f.funds_in_place or Decimal(0)
    if counted >= needed:
        return DeadlineCheck(
            rule.kind,
            rule.label,
            due,
            GREEN,
            f"已到位 {_amount(counted)} 万元，达到注册资本的 {_percent(rule.share)}（{_amount(needed)} 万元）",
        )
    when = f"截至 {due:%Y-%m-%d} " if today > due else ""
    return _timed(
        rule,
        due,
        today,
        f"{when}到位 {_amount(counted)} 万元，不足注册资本的 {_percent(rule.share)}（{_amount(needed)} 万元）",
    )


def _start_after_move_in(rule: Deadline, f: ProjectFacts, today: dt.date) -> DeadlineCheck:
    if f.moved_in_on is None:
        return _none(rule, "未入驻标准厂房")
    due = add_months(f.moved_in_on, rule.months)
    if f.start_date is not None or _reached(f.stage, Stage.STARTED):
        return DeadlineCheck(rule.kind, rule.label, due, GREEN, "已开工")
    return _timed(rule, due, today, "入驻标准厂房后尚未开工")


def _idle_land(rule: Deadline, f: ProjectFacts, today: dt.date) -> DeadlineCheck:
    if not _reached(f.stage, Stage.LAND_SUPPLIED):
        return _none(rule, "尚未供地")
    if f.promised_start is None:
        return _none(rule, "未填写约定开工日期")
    idle_on = add_months(f.promised_start, rule.months)
    if f.start_date is not None or _reached(f.stage, Stage.STARTED):
        return DeadlineCheck(rule.kind, rule.label, idle_on, GREEN, "已开工")
    late = (today - f.promised_start).days
    if today >= idle_on:
        reclaim_on = add_months(f.promised_start, rule.reclaim_months)
        tail = "，已满收回期限" if today >= reclaim_on else f"，{reclaim_on:%Y-%m-%d} 满收回期限"
        return DeadlineCheck(
            rule.kind,
            rule.label,
            idle_on,
            RED,
            f"闲置土地：满{_span(rule.months)}，按出让价款 {_percent(rule.fee_share)} 征收闲置费；"
            f"满{_span(rule.reclaim_months)}无偿收回（已超过约定开工日期 {late} 天{tail}）",
        )
    left = (idle_on - today).days
    if late > 0 or left <= rule.warn_days:
        return DeadlineCheck(
            rule.kind,
            rule.label,
            idle_on,
            AMBER,
            f"已供地未开工，超过约定开工日期 {max(late, 0)} 天，{idle_on:%Y-%m-%d} 起认定为闲置土地",
        )
    return DeadlineCheck(
        rule.kind, rule.label, idle_on, GREEN, f"约定 {f.promised_start:%Y-%m-%d} 开工，尚未到期"
    )


CHECKS = {
    "land_settled": _land_settled,
    "capital_in_place": _capital,
    "start_after_move_in": _start_after_move_in,
    "idle_land": _idle_land,
}


def check(facts: ProjectFacts, rules: TrackingRules, today: dt.date) -> list[DeadlineCheck]:
    """Every deadline of the rules against the project; a dropped project has none that apply."""
    if facts.stage == Stage.DROPPED:
        return [_none(d, "项目已退出") for d in rules.deadlines]
    return [CHECKS[d.kind](d, facts, today) for d in rules.deadlines]


def worst(checks: Iterable[DeadlineCheck]) -> str:
    """The overall light: the worst of the checks, `none` when no deadline applies."""
    return max((c.status for c in checks), key=_SEVERITY.__getitem__, default=NONE)
