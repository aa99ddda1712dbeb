"""项目预审: the shipped rules on a hand-worked project, the parser's Chinese problems, and properties
against a row-by-row reference written here in exact arithmetic."""

from __future__ import annotations

import copy
import json
import math
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from zhaoshang.projects.engines import prereview
from zhaoshang.projects.engines.errors import RulesError
from zhaoshang.projects.engines.prereview import Outcome, Project, parse, run

SHIPPED: dict[str, Any] = json.loads(
    (Path(prereview.__file__).parent.parent / "rules" / "review.json").read_text("utf-8")
)
RULES = parse(SHIPPED)
FAST = settings(max_examples=200, deadline=None)

# A 25 亩 mould-making line (GB/T 4754 C3525, one of the county's key industries).
WORKED = Project(
    name="精密模具生产线项目",
    description="年产注塑模具 800 套",
    industry_code="C3525",
    land_mu=Decimal(25),
    investment=Decimal(15000),  # 万元 planned
    promised_tax=Decimal(2500),  # 万元 a year
    promised_output=Decimal(20000),  # 万元 a year
    floor_area_ratio=Decimal("0.8"),
    energy_tce=Decimal(2000),  # 吨标准煤 a year
)


def _verdicts(outcome: Outcome) -> dict[str, prereview.Verdict]:
    return {v.key: v for v in outcome.verdicts}


def _points(outcome: Outcome) -> dict[str, Decimal]:
    return {line.key: line.points for line in outcome.score_lines}


# --- the hand-worked example -------------------------------------------------------------------


def test_worked_example_against_the_shipped_rules() -> None:
    outcome = run(RULES, WORKED)
    verdicts = _verdicts(outcome)
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
    assert _points(outcome) == {
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
    verdict = _verdicts(outcome)["negative_list"]
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
        assert _verdicts(run(RULES, replace(WORKED, industry_code=code)))["negative_list"].passed
    # A rule written as a section-prefixed class ("C31") covers every code below it.
    rules = parse({**SHIPPED, "negative_list": [{"industry": "C31", "reason": "黑色金属冶炼"}]})
    assert not _verdicts(run(rules, replace(WORKED, industry_code="C3140")))["negative_list"].passed
    assert _verdicts(run(rules, replace(WORKED, industry_code="C3011")))["negative_list"].passed


@pytest.mark.parametrize(
    ("name", "description"), [("年产 10 万件五金电镀项目", ""), ("表面处理中心", "含电镀生产线两条")]
)
def test_negative_list_hits_by_keyword_in_name_or_description(name: str, description: str) -> None:
    outcome = run(RULES, replace(WORKED, name=name, description=description))
    verdict = _verdicts(outcome)["negative_list"]
    assert not verdict.passed and verdict.veto
    assert verdict.reason == "属于负面清单：高污染：独立电镀（关键词“电镀”）"
    assert outcome.suggestion == "reject"


def test_every_hit_is_named() -> None:
    outcome = run(RULES, replace(WORKED, name="印染及电镀一体化项目", industry_code="C1910"))
    reason = _verdicts(outcome)["negative_list"].reason
    assert "皮革鞣制加工（行业 1910）" in reason
    assert "独立电镀（关键词“电镀”）" in reason and "园区外印染（关键词“印染”）" in reason


def test_negative_list_without_the_veto_fails_but_does_not_reject() -> None:
    rules = parse({**SHIPPED, "vetoes": []})
    outcome = run(rules, replace(WORKED, industry_code="C3011", floor_area_ratio=Decimal("1.5")))
    verdict = _verdicts(outcome)["negative_list"]
    assert not verdict.passed and not verdict.veto
    assert not outcome.vetoed and not outcome.rules_passed
    assert outcome.suggestion == "conditional"
    assert "untrustworthy_investor" not in _verdicts(outcome)  # checked only when it is a veto


def test_untrustworthy_investor_is_a_veto_and_scores_nothing() -> None:
    outcome = run(RULES, replace(WORKED, investor_rank="global500", untrustworthy_investor=True))
    verdict = _verdicts(outcome)["untrustworthy_investor"]
    assert (verdict.passed, verdict.veto, verdict.reason) == (False, True, "投资方为失信被执行人")
    assert _points(outcome)["investor"] == Decimal("0.0")
    assert outcome.vetoed and outcome.suggestion == "reject"


# --- missing figures ---------------------------------------------------------------------------


def test_missing_figures_fail_their_rule_and_score_nothing() -> None:
    outcome = run(RULES, Project(name="待定项目", industry_code="C3525"))
    verdicts = _verdicts(outcome)
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
    verdicts = _verdicts(outcome)
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
    assert RULES.vetoes == ("negative_list", "untrustworthy_investor")
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
        "门槛 min_jobs：不认识，可用 min_land_mu、min_intensity、min_tax_per_mu、min_floor_area_ratio、"
        "max_energy_per_output",
        "评分项权重：合计应为 100 分，现为 105 分",
        "一票否决项 low_score：只能是 negative_list、untrustworthy_investor",
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

AMOUNT = st.none() | st.decimals(min_value=0, max_value=200_000, places=2)
CODES = st.sampled_from(["", "C3525", "3525", "C3421", "C3011", "C3389", "I6510", "4210", "C1371", "C2211"])


@st.composite
def projects(draw: st.DrawFn) -> Project:
    return Project(
        name=draw(st.sampled_from(["新建项目", "电镀中心", "智能制造产业园"])),
        industry_code=draw(CODES),
        land_mu=draw(st.none() | st.decimals(min_value=0, max_value=2000, places=2)),
        investment=draw(AMOUNT),
        promised_tax=draw(AMOUNT),
        promised_output=draw(AMOUNT),
        floor_area_ratio=draw(st.none() | st.decimals(min_value=0, max_value=5, places=2)),
        energy_tce=draw(st.none() | st.decimals(min_value=0, max_value=50_000, places=1)),
        investor_rank=draw(st.sampled_from(prereview.RANKS)),
        untrustworthy_investor=draw(st.booleans()),
    )


@st.composite
def rule_sets(draw: st.DrawFn) -> dict[str, Any]:
    """The shipped rules with the criteria's weights (to 0.1, summing to 100) and full_at redrawn."""
    cuts = sorted(draw(st.lists(st.integers(1, 999), min_size=5, max_size=5, unique=True)))
    weights = [Decimal(b - a) / 10 for a, b in zip([0, *cuts], [*cuts, 1000], strict=True)]
    criteria = []
    for (key, full_at), weight in zip(
        [
            ("intensity", 1),
            ("investment", 1),
            ("tax_per_mu", 1),
            ("floor_area_ratio", 1),
            ("industry_fit", 0),
        ],
        weights,
        strict=False,
    ):
        item: dict[str, Any] = {"key": key, "weight": str(weight)}
        if full_at:
            item["full_at"] = str(draw(st.decimals(min_value=Decimal("0.1"), max_value=1000, places=1)))
        criteria.append(item)
    criteria.append({"key": "investor", "weight": str(weights[-1])})
    return {**SHIPPED, "criteria": criteria}


def _half_up_tenth(x: Fraction) -> Fraction:
    return Fraction(math.floor(x * 10 + Fraction(1, 2)), 10)


def reference_score(content: dict[str, Any], p: Project) -> Decimal:
    """min(value / full_at, 1) × weight, rounded half-up to 0.1 per line, summed — in exact fractions."""

    def f(d: Decimal | None) -> Fraction | None:
        return None if d is None else Fraction(d)

    def per_mu(top: Decimal | None) -> Fraction | None:
        return None if top is None or not p.land_mu else Fraction(top) / Fraction(p.land_mu)

    values = {
        "intensity": per_mu(p.investment),
        "investment": f(p.investment),
        "tax_per_mu": per_mu(p.promised_tax),
        "floor_area_ratio": f(p.floor_area_ratio),
    }
    code = p.industry_code.upper()
    code = code[1:] if code[:1].isalpha() else code  # "C3525" → "3525"
    total = Fraction(0)
    for item in content["criteria"]:
        weight = Fraction(Decimal(str(item["weight"])))
        if item["key"] == "industry_fit":
            share = Fraction(any(code.startswith(k) for k in content["key_industries"]))
        elif item["key"] == "investor":
            ranks = content["rank_shares"]
            share = Fraction(Decimal(str(ranks.get(p.investor_rank, ranks.get("", 0.5)))))
            share = Fraction(0) if p.untrustworthy_investor else share
        else:
            value = values[item["key"]]
            full_at = Fraction(Decimal(str(item["full_at"])))
            share = Fraction(0) if value is None else min(value / full_at, Fraction(1))
        total += _half_up_tenth(share * weight)
    return Decimal(total.numerator) / Decimal(total.denominator)


@FAST
@given(projects())
def test_score_within_0_and_100(p: Project) -> None:
    outcome = run(RULES, p)
    assert Decimal(0) <= outcome.score <= Decimal(100)
    assert all(Decimal(0) <= line.points <= line.weight for line in outcome.score_lines)


@FAST
@given(projects())
def test_score_equals_the_reference_on_the_shipped_rules(p: Project) -> None:
    assert run(RULES, p).score == reference_score(SHIPPED, p)


@FAST
@given(rule_sets(), projects())
# 0.7 / 30 × 15 = 0.35 → 0.4: a tie reached through a repeating decimal (0.02333…) still rounds up.
@example(
    {
        **SHIPPED,
        "criteria": [
            {"key": "tax_per_mu", "weight": "15", "full_at": "30"},
            {"key": "industry_fit", "weight": "85"},
        ],
    },
    Project(land_mu=Decimal(10), promised_tax=Decimal(7)),
)
# (5 / 6) / 50 × 15 = 0.25 → 0.3: the same through a repeating per-亩 figure (5 / 6 = 0.8333…).
@example(
    {
        **SHIPPED,
        "criteria": [
            {"key": "tax_per_mu", "weight": "15", "full_at": "50"},
            {"key": "industry_fit", "weight": "85"},
        ],
    },
    Project(land_mu=Decimal(6), promised_tax=Decimal(5)),
)
def test_score_equals_the_reference_for_any_weights(content: dict[str, Any], p: Project) -> None:
    rules = parse(content)
    outcome = run(rules, p)
    assert outcome.score == reference_score(content, p)
    assert Decimal(0) <= outcome.score <= Decimal(100)


def _passed(outcome: Outcome) -> set[str]:
    return {v.key for v in outcome.verdicts if v.passed}


@FAST
@given(
    projects(),
    st.sampled_from(["investment", "promised_tax", "floor_area_ratio"]),
    st.decimals(min_value=Decimal("0.01"), max_value=100_000, places=2),
)
def test_raising_a_min_figure_never_lowers_the_score_nor_fails_a_rule(
    p: Project, figure: str, more: Decimal
) -> None:
    before = run(RULES, p)
    raised = replace(p, **{figure: (getattr(p, figure) or Decimal(0)) + more})
    after = run(RULES, raised)
    assert after.score >= before.score
    assert _passed(before) <= _passed(after)
    assert not (before.suggestion == "pass" and after.suggestion != "pass")


@FAST
@given(projects(), st.integers(2, 10))
def test_more_land_at_the_same_intensity_and_tax_per_mu_never_lowers_the_score(
    p: Project, times: int
) -> None:
    # More 亩 alone lowers intensity and tax per 亩 (both per 亩): land is judged together with the
    # investment and tax that come with it.
    def scaled(d: Decimal | None) -> Decimal | None:
        return None if d is None else d * times

    before = run(RULES, p)
    after = run(
        RULES,
        replace(
            p, land_mu=scaled(p.land_mu), investment=scaled(p.investment), promised_tax=scaled(p.promised_tax)
        ),
    )
    assert after.score >= before.score
    assert _passed(before) <= _passed(after)


def test_more_land_alone_dilutes_the_per_mu_figures() -> None:
    # 50 亩 for the same 15000 万元: intensity 300 (15 points instead of 25), tax per 亩 50 (still 20).
    outcome = run(RULES, replace(WORKED, land_mu=Decimal(50)))
    assert _points(outcome)["intensity"] == Decimal("15.0")
    assert outcome.score == Decimal("66.3")


@FAST
@given(projects(), st.decimals(min_value=0, max_value=50_000, places=1))
def test_less_energy_never_fails_the_energy_rule(p: Project, less: Decimal) -> None:
    if p.energy_tce is None:
        return
    lowered = replace(p, energy_tce=max(p.energy_tce - less, Decimal(0)))
    assert _passed(run(RULES, p)) <= _passed(run(RULES, lowered))
