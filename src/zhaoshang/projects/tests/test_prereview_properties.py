"""项目预审 properties against a row-by-row reference written here in exact arithmetic."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from zhaoshang.projects.engines import prereview
from zhaoshang.projects.engines.prereview import Outcome, Project, parse, run
from zhaoshang.projects.tests.prereview_cases import FAST, RULES, SHIPPED, WORKED, points_of

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
    assert points_of(outcome)["intensity"] == Decimal("15.0")
    assert outcome.score == Decimal("66.3")


@FAST
@given(projects(), st.decimals(min_value=0, max_value=50_000, places=1))
def test_less_energy_never_fails_the_energy_rule(p: Project, less: Decimal) -> None:
    if p.energy_tce is None:
        return
    lowered = replace(p, energy_tce=max(p.energy_tce - less, Decimal(0)))
    assert _passed(run(RULES, p)) <= _passed(run(RULES, lowered))
