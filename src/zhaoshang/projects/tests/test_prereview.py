"""项目预审: the shipped rules on a hand-worked project and the parser's Chinese problems."""

from __future__ import annotations

import copy
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhaoshang.projects.engines.errors import RulesError
from zhaoshang.projects.engines.prereview import Project, parse, run
from zhaoshang.projects.tests.prereview_cases import FAST, RULES, SHIPPED, WORKED, points_of, verdicts_of

# --- the hand-worked example -------------------------------------------------------------------


def test_worked_example_against_the_shipped_rules() -> None:
    outcome = run(RULES, WORKED)
    verdicts = verdicts_of(outcome)
    # Figures: intensity = 15000 / 25 = 600 万元/亩; tax per 亩 = 2500 / 25 = 100 万元/亩·年;
    # energy per output = 2000 / 20000 = 0.1 吨标准煤/万元.
    # Rules: 25 ≥ 20 亩 ✓; 600 ≥ 300 ✓; 100 ≥ 30 ✓; 0.8 < 1.0 ✗; 0.1 ≤ 0.3 ✓; not on the negative
    # list ✓; investor not untrustworthy ✓.
    assert {k: v.passed for k, v in verdicts.items()} == {
        "negative_list": True,
        "min_land_mu": True,
        "min_intensity": True,
        "min_tax_per_mu": True,
        "min_floor_area_ratio": False,
        "max_energy_per_output": True,
        "untrustworthy_investor": True,
    }
    assert [v.key for v in outcome.failed] == ["min_floor_area_ratio"]
    assert verdicts["min_floor_area_ratio"].reason == "容积率 0.8，不符合要求（容积率不低于 1）"
    assert verdicts["min_intensity"].reason == "投资强度 600 万元/亩，符合要求（投资强度不低于 300 万元/亩）"
    assert verdicts["min_tax_per_mu"].reason.startswith("亩均税收（承诺） 100 万元/亩·年，符合要求")
    # Score, line by line:
    #   投资强度     min(600 / 500, 1)    × 25 = 25.0
    #   投资规模     min(15000 / 50000, 1) × 20 =  6.0
    #   亩均税收     min(100 / 50, 1)     × 20 = 20.0
    #   容积率       min(0.8 / 1.5, 1)    × 10 =  5.333… → 5.3
    #   产业契合度   3525 is a key industry   = 15.0
    #   投资方实力   no 500-strong rank: 0.5 × 10 = 5.0
    #   total 25 + 6 + 20 + 5.3 + 15 + 5 = 76.3
    assert points_of(outcome) == {
        "intensity": Decimal("25.0"),
        "investment": Decimal("6.0"),
        "tax_per_mu": Decimal("20.0"),
        "floor_area_ratio": Decimal("5.3"),
        "industry_fit": Decimal("15.0"),
        "investor": Decimal("5.0"),
    }
    assert outcome.score == Decimal("76.3")
    assert (outcome.rules_passed, outcome.vetoed) == (False, False)
    # Above the pass line (60) but a rule failed: the committee decides with conditions.
    assert outcome.suggestion == "conditional"


def test_worked_example_passes_once_the_floor_area_ratio_is_met() -> None:
    # 容积率 1.2: the rule holds and the line earns 1.2 / 1.5 × 10 = 8.0, so 76.3 − 5.3 + 8 = 79.0.
    outcome = run(RULES, replace(WORKED, floor_area_ratio=Decimal("1.2"), investor_rank="china500"))
    # china500 earns 0.9 × 10 = 9.0 instead of 5.0: 79.0 + 4 = 83.0.
    assert outcome.rules_passed and not outcome.vetoed
    assert outcome.score == Decimal("83.0")
    assert outcome.suggestion == "pass"


def test_below_the_pass_line_is_conditional_even_when_every_rule_holds() -> None:
    # 20 亩, 6000 万元 (300 万元/亩), tax 600 (30 万元/亩), 容积率 1.0, not a key industry:
    # 300/500×25 = 15; 6000/50000×20 = 2.4; 30/50×20 = 12; 1.0/1.5×10 = 6.7; 0; 5 → 41.1.
    small = Project(
        name="五金配件厂",
        industry_code="C3389",
        land_mu=Decimal(20),
        investment=Decimal(6000),
        promised_tax=Decimal(600),
        floor_area_ratio=Decimal("1.0"),
        promised_output=Decimal(5000),
        energy_tce=Decimal(100),
    )
    outcome = run(RULES, small)
    assert outcome.rules_passed
    assert outcome.score == Decimal("41.1")
    assert outcome.suggestion == "conditional"


# --- negative list and vetoes ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["3011", "C3011", "c3011"])
def test_negative_list_hits_by_industry_code_with_or_without_the_section_letter(code: str) -> None:
    outcome = run(RULES, replace(WORKED, name="新型建材项目", industry_code=code))
    verdict = verdicts_of(outcome)["negative_list"]
    assert not verdict.passed and verdict.veto
    assert (
        verdict.reason == "属于负面清单：高耗能：新增水泥熟料产能（产业结构调整指导目录限制类）（行业 3011）"
    )
    assert outcome.vetoed and outcome.suggestion == "reject"
    # The score is still shown: 3011 is no key industry, so 76.3 − 15 = 61.3.
    assert outcome.score == Decimal("61.3")


def test_negative_list_matches_codes_by_prefix_only() -> None:
    # "3012" (石灰和石膏制造) shares "301" with the listed 3011 but is not under it; "30" is too coarse.
    for code in ("3012", "C30", ""):
        assert verdicts_of(run(RULES, replace(WORKED, industry_code=code)))["negative_list"].passed
    # A rule written as a section-prefixed class ("C31") covers every code below it.
    rules = parse({**SHIPPED, "negative_list": [{"industry": "C31", "reason": "黑色金属冶炼"}]})
    assert not verdicts_of(run(rules, replace(WORKED, industry_code="C3140")))["negative_list"].passed
    assert verdicts_of(run(rules, replace(WORKED, industry_code="C3011")))["negative_list"].passed


@pytest.mark.parametrize(
    ("name", "description"), [("年产 10 万件五金电镀项目", ""), ("表面处理中心", "含电镀生产线两条")]
)
def test_negative_list_hits_by_keyword_in_name_or_description(name: str, description: str) -> None:
    outcome = run(RULES, replace(WORKED, name=name, description=description))
    verdict = verdicts_of(outcome)["negative_list"]
    assert not verdict.passed and verdict.veto
    assert verdict.reason == "属于负面清单：高污染：独立电镀（关键词“电镀”）"
    assert outcome.suggestion == "reject"


def test_every_hit_is_named() -> None:
    outcome = run(RULES, replace(WORKED, name="印染及电镀一体化项目", industry_code="C1910"))
    reason = verdicts_of(outcome)["negative_list"].reason
    assert "皮革鞣制加工（行业 1910）" in reason
    assert "独立电镀（关键词“电镀”）" in reason and "园区外印染（关键词“印染”）" in reason


def test_negative_list_without_the_veto_fails_but_does_not_reject() -> None:
    rules = parse({**SHIPPED, "vetoes": []})
    outcome = run(rules, replace(WORKED, industry_code="C3011", floor_area_ratio=Decimal("1.5")))
    verdict = verdicts_of(outcome)["negative_list"]
    assert not verdict.passed and not verdict.veto
    assert not outcome.vetoed and not outcome.rules_passed
    assert outcome.suggestion == "conditional"
    assert "untrustworthy_investor" not in verdicts_of(outcome)  # checked only when it is a veto


def test_untrustworthy_investor_is_a_veto_and_scores_nothing() -> None:
    outcome = run(RULES, replace(WORKED, investor_rank="global500", untrustworthy_investor=True))
    verdict = verdicts_of(outcome)["untrustworthy_investor"]
    assert (verdict.passed, verdict.veto, verdict.reason) == (False, True, "投资方为失信被执行人")
    assert points_of(outcome)["investor"] == Decimal("0.0")
    assert outcome.vetoed and outcome.suggestion == "reject"


# --- missing figures ---------------------------------------------------------------------------


def test_missing_figures_fail_their_rule_and_score_nothing() -> None:
    outcome = run(RULES, Project(name="待定项目", industry_code="C3525"))
    verdicts = verdicts_of(outcome)
    for key, label in [
        ("min_land_mu", "拟用地"),
        ("min_intensity", "投资强度"),
        ("min_tax_per_mu", "亩均税收（承诺）"),
        ("min_floor_area_ratio", "容积率"),
        ("max_energy_per_output", "单位产值能耗"),
    ]:
        assert not verdicts[key].passed
        assert verdicts[key].reason.startswith(f"未填写{label}，无法判断（要求")
    assert verdicts["min_land_mu"].reason == "未填写拟用地，无法判断（要求用地不少于 20 亩）"
    lines = {line.key: line for line in outcome.score_lines}
    assert lines["intensity"].basis == "未填写，记 0 分"
    # Only industry fit (15) and the unranked investor (5) score.
    assert outcome.score == Decimal("20.0")
    assert not outcome.vetoed and outcome.suggestion == "conditional"


def test_land_without_investment_leaves_intensity_unknown() -> None:
    outcome = run(RULES, replace(WORKED, investment=None))
    verdicts = verdicts_of(outcome)
    assert verdicts["min_land_mu"].passed
    assert verdicts["min_intensity"].reason == "未填写投资强度，无法判断（要求投资强度不低于 300 万元/亩）"


# --- parsing -----------------------------------------------------------------------------------


def _problems(content: Any) -> list[str]:
    with pytest.raises(RulesError) as caught:
        parse(content)
    return caught.value.problems


def test_shipped_rules_read_as_published() -> None:
    assert RULES.thresholds["min_land_mu"] == 20  # speech 000: 用地在 20 亩以下的 … 禁止进入
    assert sum(c.weight for c in RULES.criteria) == 100
    assert RULES.vetoes == ("negative_list", "untrustworthy_investor", "min_land_mu")  # "这是底线"
    assert RULES.pass_line == 60
    assert all(rule.reason for rule in RULES.negative_list)


def test_parse_names_every_problem_by_its_place_at_once() -> None:
    content = copy.deepcopy(SHIPPED)
    content["criteria"][0]["weight"] = 30  # 105 in all
    content["thresholds"]["min_jobs"] = 50
    content["negative_list"].append({"industry": "2511"})
    content["vetoes"].append("low_score")
    assert _problems(content) == [
        "负面清单第 9 条：须写明原因（reason），如高污染、落后产能",
        "门槛 min_jobs：不认识，可用 min_land_mu、min_investment、min_intensity、min_tax_per_mu、min_floor_area_ratio、"
        "max_energy_per_output",
        "评分项权重：合计应为 100 分，现为 105 分",
        "一票否决项 low_score：只能是 negative_list、untrustworthy_investor、min_land_mu、low_grade",
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"criteria": [{"key": "intensity", "weight": 60, "full_at": 500}]}, "合计应为 100 分，现为 60 分"),
        ({"criteria": [{"key": "jobs", "weight": 100}]}, "评分项 1：key 必须是"),
        (
            {"criteria": [{"key": "intensity", "weight": 100, "full_at": 0}]},
            "评分项 1（投资强度）的满分值（full_at）：必须大于 0",
        ),
        (
            {"criteria": [{"key": "investor", "weight": "很多"}]},
            "评分项 1（投资方实力和信用）的权重：必须是数字",
        ),
        ({"thresholds": {"min_land_mu": -5}}, "门槛“用地不少于”：必须大于 0"),
        (
            {"negative_list": [{"reason": "高污染"}]},
            "负面清单第 1 条：须填写行业代码（industry）或关键词（keyword）",
        ),
        ({"negative_list": ["电镀"]}, "负面清单第 1 条：必须是对象"),
        ({"rank_shares": {"global500": 1.5}}, "投资方实力 global500 的得分比例：不能大于 1"),
        ({"rank_shares": {"top10": 1}}, "投资方实力 top10：只能是"),
        ({"pass_line": "六十"}, "建议通过分数线（pass_line）：必须是数字"),
        ({"thresholds": [20, 300]}, "门槛（thresholds）：应为一个对象（{…}）"),
        ({"criteria": {"intensity": 100}}, "评分项（criteria）：应为一个列表（[…]）"),
        ({"vetoes": "negative_list"}, "一票否决项（vetoes）：应为一个列表（[…]）"),
        ({"vetoes": [{"key": "negative_list"}]}, "一票否决项 {'key': 'negative_list'}：只能是"),
    ],
)
def test_parse_problem_names_its_place(change: dict[str, Any], expected: str) -> None:
    problems = _problems({**SHIPPED, **change})
    assert any(expected in p for p in problems), problems


def test_parse_refuses_what_is_not_an_object() -> None:
    assert _problems(["negative_list"]) == ["预审规则：必须是一个 JSON 对象"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.sampled_from(["", "x", "3011", "global500"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
SECTIONS = ["negative_list", "thresholds", "criteria", "key_industries", "rank_shares", "vetoes", "pass_line"]


@FAST
@given(st.dictionaries(st.sampled_from(SECTIONS), JSON, max_size=4))
def test_parse_either_reads_or_names_problems(content: dict[str, Any]) -> None:
    # A county's rulebook editor saves whatever JSON it is given: the parser must answer with its
    # problems in Chinese (a RulesError), never with a crash.
    try:
        parse({**SHIPPED, **content})
    except RulesError as exc:
        assert exc.problems and all(isinstance(p, str) for p in exc.problems)


# --- properties --------------------------------------------------------------------------------
