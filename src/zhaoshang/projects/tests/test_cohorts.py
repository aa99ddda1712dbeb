"""Cohort requirements: who a rule covers, who has reached the stage by the date, and the count owed."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhaoshang.projects.engines import cohorts
from zhaoshang.projects.engines.cohorts import CohortFacts, evaluate, parse, required_count
from zhaoshang.projects.engines.errors import RulesError
from zhaoshang.projects.engines.lifecycle import Stage

SHIPPED = json.loads((Path(cohorts.__file__).parent.parent / "rules" / "cohorts.json").read_text("utf-8"))
D = dt.date
TODAY = D(2025, 6, 30)


def _p(
    key: str, signed: dt.date | None, stage: Stage, rank: str = "", start: dt.date | None = None
) -> CohortFacts:
    return CohortFacts(key=key, signed_on=signed, stage=stage, investor_rank=rank, start_date=start)


PROJECTS = [
    _p("a", D(2023, 3, 1), Stage.STARTED, start=D(2024, 5, 1)),
    _p("b", D(2023, 8, 1), Stage.LAND_SUPPLIED),
    _p("c", D(2023, 9, 1), Stage.DROPPED),  # withdrawn: leaves the cohort
    _p("d", D(2024, 2, 1), Stage.PRODUCING, rank="china500", start=D(2024, 10, 1)),
    _p("e", D(2024, 4, 1), Stage.SIGNED, rank="global500"),
    _p("f", D(2024, 7, 1), Stage.STARTED, start=D(2025, 3, 1)),
    _p("g", None, Stage.NEGOTIATING, rank="private500"),  # not signed: in no cohort
]


def test_the_shipped_rules_read_as_the_speech() -> None:
    rules = parse(SHIPPED)
    assert [(r.signed_years, r.share, r.reach) for r in rules] == [
        ((2023,), 1.0, Stage.STARTED),
        ((2024,), 0.5, Stage.STARTED),
        ((2023, 2024), 1.0, Stage.STARTED),  # 其中: the 500 强 of the two signing cohorts
    ]
    assert rules[2].ranks == frozenset({"global500", "china500", "private500"})


def test_signed_in_a_year_all_started() -> None:
    all_2023, half_2024, ranked = parse(SHIPPED)
    result = evaluate(all_2023, PROJECTS, TODAY)
    assert (result.covered, result.reached, result.behind) == (["a", "b"], ["a"], ["b"])
    assert (result.required, result.met, result.share_achieved, result.overdue) == (2, False, 0.5, False)
    half = evaluate(half_2024, PROJECTS, TODAY)
    assert (half.covered, half.reached, half.required, half.met) == (["d", "e", "f"], ["d", "f"], 2, True)
    top = evaluate(ranked, PROJECTS, TODAY)
    assert (top.covered, top.behind, top.required, top.met) == (["d", "e"], ["e"], 2, False)
    assert evaluate(all_2023, PROJECTS, D(2026, 1, 1)).overdue


def test_a_start_after_the_date_does_not_count_and_dropped_may_be_counted() -> None:
    rule = parse({"rules": [{**SHIPPED["rules"][0], "by": "2024-04-30", "count_dropped": True}]})[0]
    result = evaluate(rule, PROJECTS, TODAY)
    assert result.covered == ["a", "b", "c"] and result.reached == [] and result.required == 3


def test_an_empty_cohort_is_met() -> None:
    rule = parse({"rules": [{**SHIPPED["rules"][0], "signed_year": 2019}]})[0]
    result = evaluate(rule, PROJECTS, TODAY)
    assert (result.covered, result.required, result.met, result.share_achieved) == ([], 0, True, None)


def test_problems_name_the_requirement() -> None:
    bad = copy.deepcopy(SHIPPED)
    bad["rules"][0]["share"] = 2
    bad["rules"][1]["by"] = "2025 年底"
    bad["rules"][2]["rank"] = "fortune"
    bad["rules"][2]["reach"] = "built"
    with pytest.raises(RulesError) as refused:
        parse(bad)
    assert refused.value.problems == [
        "要求 1（2023 年签约项目 2025 年底前全部开工）的比例：必须是大于 0、不大于 1 的小数（全部为 1，一半为 0.5）",
        "要求 2（2024 年签约项目 2025 年底前开工一半）的截止日期：应写成 YYYY-MM-DD",
        "要求 3（其中三类 500 强项目全部开工）的目标阶段：只能是 signed、land_supplied、started、producing、full_output 之一",
        "要求 3（其中三类 500 强项目全部开工）的 500 强类别：只能是 null、any，或 global500、china500、private500 中的一个或几个",
    ]
    with pytest.raises(RulesError):
        parse({"rules": "all"})


@pytest.mark.parametrize(
    ("share", "covered", "expected"), [(0.5, 3, 2), (0.3, 10, 3), (1.0, 7, 7), (0.7, 0, 0)]
)
def test_the_count_owed_rounds_up(share: float, covered: int, expected: int) -> None:
    assert required_count(share, covered) == expected


@given(
    share=st.floats(min_value=0.01, max_value=1.0),
    stages=st.lists(st.sampled_from(list(Stage)), max_size=30),
)
def test_covered_splits_into_reached_and_behind(share: float, stages: list[Stage]) -> None:
    rule = parse({"rules": [{**SHIPPED["rules"][0], "share": share}]})[0]
    facts = [_p(str(n), D(2023, 1, 1), s) for n, s in enumerate(stages)]
    result = evaluate(rule, facts, TODAY)
    assert sorted(result.reached + result.behind) == sorted(result.covered)
    assert result.required <= len(result.covered)
    assert result.required >= share * len(result.covered) - 1e-9
    assert result.met == (len(result.reached) >= result.required)
