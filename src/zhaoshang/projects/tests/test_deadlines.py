"""Post-signing deadlines against hand-worked dates, the parser's Chinese problems, and properties."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhaoshang.projects.engines import deadlines
from zhaoshang.projects.engines.deadlines import ProjectFacts, add_months, check, parse, worst
from zhaoshang.projects.engines.errors import RulesError
from zhaoshang.projects.engines.lifecycle import PATH, Stage

SHIPPED = json.loads((Path(deadlines.__file__).parent.parent / "rules" / "tracking.json").read_text("utf-8"))
RULES = parse(SHIPPED)
D = dt.date


def _by_kind(facts: ProjectFacts, today: dt.date) -> dict[str, deadlines.DeadlineCheck]:
    return {c.kind: c for c in check(facts, RULES, today)}


def test_shipped_rules_carry_the_published_limits() -> None:
    assert RULES.stale_days == 30
    assert RULES.stage_limits[Stage.SIGNED] == 90 and Stage.FULL_OUTPUT not in RULES.stage_limits
    kinds = {d.kind: d for d in RULES.deadlines}
    assert kinds["land_settled"].months == 3 and kinds["capital_in_place"].share == 0.25
    assert kinds["start_after_move_in"].months == 2
    assert (kinds["idle_land"].months, kinds["idle_land"].reclaim_months, kinds["idle_land"].fee_share) == (
        12,
        24,
        0.2,
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year: the month's last day
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2024, 10, 15), 3, D(2025, 1, 15)),
        (D(2024, 3, 31), 12, D(2025, 3, 31)),
    ],
)
def test_months_are_calendar_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_land_within_three_months_of_signing() -> None:
    signed = ProjectFacts(stage=Stage.SIGNED, signed_on=D(2024, 11, 30))
    # Due 2025-02-28; amber from 15 days before (2025-02-13), red the day after.
    assert _by_kind(signed, D(2025, 2, 12))["land_settled"].status == "green"
    amber = _by_kind(signed, D(2025, 2, 13))["land_settled"]
    assert (amber.status, amber.due) == ("amber", D(2025, 2, 28))
    assert "距时限还有 15 天" in amber.message
    assert _by_kind(signed, D(2025, 2, 28))["land_settled"].status == "amber"
    red = _by_kind(signed, D(2025, 3, 10))["land_settled"]
    assert red.status == "red" and "已超过时限 10 天" in red.message
    supplied = ProjectFacts(stage=Stage.LAND_SUPPLIED, signed_on=D(2024, 11, 30))
    assert _by_kind(supplied, D(2025, 3, 10))["land_settled"].status == "green"
    assert _by_kind(ProjectFacts(stage=Stage.LEAD), D(2025, 3, 10))["land_settled"].status == "none"


def test_a_quarter_of_the_registered_capital_counted_up_to_the_deadline() -> None:
    base = ProjectFacts(stage=Stage.SIGNED, signed_on=D(2025, 1, 10), registered_capital=Decimal("10000"))
    # Needs 2,500 万元 by 2025-04-10.
    late = ProjectFacts(
        **{
            **base.__dict__,
            "funds_in_place": Decimal("3000"),
            "arrivals": ((D(2025, 2, 1), Decimal("1000")), (D(2025, 4, 11), Decimal("2000"))),
        }
    )
    red = _by_kind(late, D(2025, 5, 1))["capital_in_place"]
    assert red.status == "red"
    assert "截至 2025-04-10 到位 1000 万元，不足注册资本的 25%（2500 万元）" in red.message
    on_time = ProjectFacts(
        **{
            **base.__dict__,
            "funds_in_place": Decimal("2500"),
            "arrivals": ((D(2025, 4, 10), Decimal("2500")),),
        }
    )
    assert _by_kind(on_time, D(2025, 5, 1))["capital_in_place"].status == "green"
    # Imported with a running total only: the total counts.
    total_only = ProjectFacts(**{**base.__dict__, "funds_in_place": Decimal("2600")})
    assert _by_kind(total_only, D(2025, 5, 1))["capital_in_place"].status == "green"
    assert _by_kind(base, D(2025, 3, 30))["capital_in_place"].status == "amber"
    no_capital = ProjectFacts(stage=Stage.SIGNED, signed_on=D(2025, 1, 10))
    assert _by_kind(no_capital, D(2025, 5, 1))["capital_in_place"].status == "none"


def test_start_within_two_months_of_moving_into_a_standard_factory() -> None:
    moved = ProjectFacts(stage=Stage.SIGNED, signed_on=D(2025, 1, 1), moved_in_on=D(2025, 3, 31))
    check_ = _by_kind(moved, D(2025, 6, 1))["start_after_move_in"]
    assert (check_.status, check_.due) == ("red", D(2025, 5, 31))
    started = ProjectFacts(**{**moved.__dict__, "stage": Stage.STARTED, "start_date": D(2025, 5, 20)})
    assert _by_kind(started, D(2025, 6, 1))["start_after_move_in"].status == "green"
    assert _by_kind(ProjectFacts(stage=Stage.SIGNED), D(2025, 6, 1))["start_after_move_in"].status == "none"


def test_idle_land_a_year_after_the_contracted_start() -> None:
    land = ProjectFacts(stage=Stage.LAND_SUPPLIED, signed_on=D(2023, 1, 5), promised_start=D(2023, 6, 30))
    assert _by_kind(land, D(2023, 6, 1))["idle_land"].status == "green"
    late = _by_kind(land, D(2023, 9, 1))["idle_land"]
    assert late.status == "amber" and "超过约定开工日期 63 天" in late.message
    idle = _by_kind(land, D(2024, 6, 30))["idle_land"]
    assert (idle.status, idle.due) == ("red", D(2024, 6, 30))
    assert idle.message.startswith("闲置土地：满一年，按出让价款 20% 征收闲置费；满两年无偿收回")
    assert "2025-06-30 满收回期限" in idle.message
    assert "已满收回期限" in _by_kind(land, D(2025, 7, 1))["idle_land"].message
    assert (
        _by_kind(ProjectFacts(stage=Stage.SIGNED, promised_start=D(2023, 6, 30)), D(2025, 1, 1))[
            "idle_land"
        ].status
        == "none"
    )


def test_the_overall_light_is_the_worst() -> None:
    facts = ProjectFacts(stage=Stage.SIGNED, signed_on=D(2025, 1, 10), moved_in_on=D(2025, 1, 10))
    checks = check(facts, RULES, D(2025, 3, 20))  # start due 03-10 (red), land due 04-10 (green)
    assert worst(checks) == "red"
    assert worst([]) == "none"
    dropped = check(ProjectFacts(stage=Stage.DROPPED, signed_on=D(2020, 1, 1)), RULES, D(2025, 1, 1))
    assert worst(dropped) == "none"


def test_problems_name_the_place_in_chinese() -> None:
    bad = copy.deepcopy(SHIPPED)
    bad["stale_days"] = 0
    bad["stage_limits"]["signed"] = "ninety"
    bad["stage_limits"]["full_output"] = 10
    bad["deadlines"][1]["months"] = 0
    bad["deadlines"][1]["share"] = 25
    bad["deadlines"][3]["reclaim_months"] = 6
    bad["deadlines"].append({"kind": "registration"})
    with pytest.raises(RulesError) as refused:
        parse(bad)
    assert refused.value.problems == [
        "跟进间隔天数（stale_days）：必须是正整数",
        "阶段时限“签约”的天数：必须是正整数",
        "阶段时限：“达产”阶段不设时限",
        "时限 2（注册资本到位）的月数：必须是正整数",
        "时限 2（注册资本到位）的到位比例：必须是大于 0、不大于 1 的小数（如 0.25）",
        "时限 4（闲置土地）的收回月数：必须大于认定闲置的月数 12",
        "时限 5 的类别：只能是 land_settled、capital_in_place、start_after_move_in、idle_land 之一",
    ]
    with pytest.raises(RulesError, match="应为一个对象"):
        parse([])


stages = st.sampled_from(list(Stage))
dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))


@given(day=dates, months=st.integers(min_value=0, max_value=60))
def test_add_months_keeps_the_day_or_the_month_end(day: dt.date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or (later.day < day.day and (later + dt.timedelta(days=1)).day == 1)
    assert later >= day


@given(stage=stages, signed=dates, gap=st.integers(min_value=-400, max_value=1200))
def test_past_due_and_not_met_is_red_before_it_amber_or_green(
    stage: Stage, signed: dt.date, gap: int
) -> None:
    today = signed + dt.timedelta(days=gap)
    land = _by_kind(ProjectFacts(stage=stage, signed_on=signed), today)["land_settled"]
    met = stage in PATH and PATH.index(stage) >= PATH.index(Stage.LAND_SUPPLIED)
    if stage == Stage.DROPPED:
        assert land.status == "none"
    elif met:
        assert land.status == "green"
    elif land.due is not None and today > land.due:
        assert land.status == "red"
    else:
        assert land.status in ("green", "amber")


@given(stage=stages, start=dates, a=st.integers(0, 1500), b=st.integers(0, 1500))
def test_lights_never_improve_as_time_passes_without_progress(
    stage: Stage, start: dt.date, a: int, b: int
) -> None:
    facts = ProjectFacts(
        stage=stage,
        signed_on=start,
        moved_in_on=start,
        promised_start=start,
        registered_capital=Decimal("1000"),
    )
    early, late = sorted((start + dt.timedelta(days=a), start + dt.timedelta(days=b)))
    order = {"none": 0, "green": 1, "amber": 2, "red": 3}
    for before, after in zip(check(facts, RULES, early), check(facts, RULES, late), strict=True):
        assert order[after.status] >= order[before.status], (before, after)
