"""Speech 000's 20 亩 floor ("这是底线") as a veto, the standard-building exemption, and an existing
enterprise's published 亩均 grade read by the pre-review."""

from __future__ import annotations

import copy
from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zhaoshang.projects.engines.errors import RulesError
from zhaoshang.projects.engines.prereview import parse, run
from zhaoshang.projects.tests.prereview_cases import FAST, RULES, SHIPPED, WORKED, verdicts_of


def test_under_20_mu_is_vetoed_by_the_shipped_rules() -> None:
    small = replace(WORKED, land_mu=Decimal(12), investment=Decimal(8000), promised_tax=Decimal(600))
    outcome = run(RULES, small)
    floor = verdicts_of(outcome)["min_land_mu"]
    assert (floor.passed, floor.veto) == (False, True)
    assert floor.reason == "拟用地 12 亩，不符合要求（用地不少于 20 亩），一票否决"
    assert outcome.vetoed and outcome.suggestion == "reject"


def test_the_floor_is_only_flagged_where_the_rules_do_not_make_it_a_veto() -> None:
    content = copy.deepcopy(SHIPPED)
    content["vetoes"].remove("min_land_mu")
    outcome = run(parse(content), replace(WORKED, land_mu=Decimal(12)))
    floor = verdicts_of(outcome)["min_land_mu"]
    assert (floor.passed, floor.veto, outcome.vetoed) == (False, False, False)


def test_a_project_renting_a_standard_building_is_not_failed_for_missing_land() -> None:
    rented = replace(
        WORKED, land_mu=None, floor_area_ratio=None, investment=Decimal(50000), in_standard_building=True
    )
    outcome = run(RULES, rented)
    verdicts = verdicts_of(outcome)
    for key in ("min_land_mu", "min_intensity", "min_tax_per_mu", "min_floor_area_ratio"):
        assert verdicts[key].passed, key
        assert verdicts[key].reason.startswith("入驻标准厂房，不新征地，不适用")
    assert not any("未填写拟用地" in v.reason for v in outcome.verdicts)
    assert not outcome.vetoed
    # The land criteria (25 + 20 + 10 of 100) do not apply: investment 20/20 (50,000 万元), industry 15/15 and
    # investor 5/10 make 40 of the 45 that do, scaled to 100: 88.9.
    assert outcome.score == Decimal("88.9")
    assert outcome.suggestion == "pass"


def test_without_the_exemption_the_same_project_fails_for_missing_land() -> None:
    content = copy.deepcopy(SHIPPED)
    content["standard_building_exempt"] = False
    outcome = run(parse(content), replace(WORKED, land_mu=None, in_standard_building=True))
    assert verdicts_of(outcome)["min_land_mu"].reason.startswith("未填写拟用地")


def test_a_d_grade_is_flagged_and_a_veto_where_the_rules_say_so() -> None:
    expansion = replace(WORKED, enterprise_grade="D", grade_year=2024)
    flagged = verdicts_of(run(RULES, expansion))["low_grade"]
    assert (flagged.passed, flagged.veto) == (False, False)
    assert flagged.reason == "既有企业2024 年亩均评价为 D 类，请重点审查"
    content = copy.deepcopy(SHIPPED)
    content["vetoes"].append("low_grade")
    outcome = run(parse(content), expansion)
    assert verdicts_of(outcome)["low_grade"].veto and outcome.suggestion == "reject"
    good = verdicts_of(run(RULES, replace(expansion, enterprise_grade="B")))["low_grade"]
    assert good.passed and good.reason == "既有企业2024 年亩均评价为 B 类"
    assert "low_grade" not in verdicts_of(run(RULES, WORKED))  # a new enterprise has no grade


def test_bad_exemption_and_grades_are_named() -> None:
    content = copy.deepcopy(SHIPPED)
    content["standard_building_exempt"] = "yes"
    content["low_grades"] = ["E"]
    try:
        parse(content)
    except RulesError as exc:
        assert exc.problems == [
            "标准厂房项目免于用地门槛（standard_building_exempt）：只能是 true 或 false",
            "亩均评价低档（low_grades）：只能是 A、B、C、D 中的一个或几个",
        ]
    else:
        raise AssertionError("refused")


@FAST
@given(land=st.decimals(min_value=0, max_value=400, places=2), rented=st.booleans())
def test_vetoed_for_land_exactly_when_under_the_floor_and_not_exempt(land: Decimal, rented: bool) -> None:
    outcome = run(RULES, replace(WORKED, land_mu=land or None, in_standard_building=rented))
    floor = verdicts_of(outcome)["min_land_mu"]
    assert floor.veto == (not rented and bool(land) and land < 20)
    assert 0 <= outcome.score <= 100
