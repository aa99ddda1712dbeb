"""项目预审 as data: pass/fail rules, a 100-point weighted score and veto items. Pure: no Django.

A county (or a park with rules of its own) keeps its review rules as JSON (`rules/review.json` ships
the defaults: speech 000's negative list and 20 亩 minimum, intensity and tax per 亩 thresholds as
counties publish them). `parse` names every problem in Chinese by its place; `run` gives each rule's
verdict with the figure it saw and why, the score line by line, and whether a veto item was hit.
The committee decides; the verdicts are what it decides on.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from zhaoshang.projects.engines.promises import ratio
from zhaoshang.projects.engines.review_rules import (  # noqa: F401  (the rules, read from here too)
    CRITERIA,
    FIGURE_LABELS,
    GRADES,
    LAND_FIGURES,
    RANK_LABELS,
    RANKS,
    THRESHOLDS,
    VETOES,
    Criterion,
    NegativeListRule,
    ReviewRules,
    parse,
)


@dataclass(frozen=True)
class Project:
    """What a project declares before review."""

    name: str = ""
    description: str = ""
    industry_code: str = ""
    land_mu: Decimal | None = None
    investment: Decimal | None = None  # 万元 planned
    promised_tax: Decimal | None = None  # 万元 a year
    promised_output: Decimal | None = None  # 万元 a year
    floor_area_ratio: Decimal | None = None
    energy_tce: Decimal | None = None  # 吨标准煤 a year
    investor_rank: str = ""
    untrustworthy_investor: bool = False
    in_standard_building: bool = False  # rents a standard factory building: no land of its own
    enterprise_grade: str = ""  # an existing enterprise's latest published 亩均 grade
    grade_year: int | None = None


@dataclass(frozen=True)
class ExtraRule:
    """Thresholds from outside the unit's rule book (an industrial chain's 准入门槛), named by `source`
    ("产业链“智能制造”准入门槛"). Where both set a threshold, the stricter applies and the verdict says
    which one it was."""

    source: str
    thresholds: dict[str, Decimal]


def _strictest(rules: ReviewRules, extra: tuple[ExtraRule, ...]) -> dict[str, tuple[Decimal, str]]:
    """Each threshold with where it came from ("" for the unit's own rules); the stricter one wins."""
    found: dict[str, tuple[Decimal, str]] = {k: (v, "") for k, v in rules.thresholds.items()}
    for rule in extra:
        for key, value in rule.thresholds.items():
            if key not in THRESHOLDS or value is None:
                continue
            direction = THRESHOLDS[key][1]
            if key not in found or (value > found[key][0] if direction == "min" else value < found[key][0]):
                found[key] = (value, rule.source)
    return found


@dataclass(frozen=True)
class Verdict:
    key: str
    label: str
    passed: bool
    reason: str
    veto: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "passed": self.passed,
            "reason": self.reason,
            "veto": self.veto,
        }


@dataclass(frozen=True)
class ScoreLine:
    key: str
    label: str
    weight: Decimal
    points: Decimal
    basis: str

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "weight": str(self.weight),
            "points": str(self.points),
            "basis": self.basis,
        }


@dataclass(frozen=True)
class Outcome:
    verdicts: tuple[Verdict, ...]
    score_lines: tuple[ScoreLine, ...]
    score: Decimal
    rules_passed: bool
    vetoed: bool
    suggestion: str  # pass, conditional, reject

    @property
    def failed(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if not v.passed)


def exempt_from_land(rules: ReviewRules, project: Project) -> bool:
    return rules.standard_building_exempt and project.in_standard_building


def figures(project: Project) -> dict[str, Decimal | None]:
    return {
        "land_mu": project.land_mu,
        "investment": project.investment,
        "intensity": ratio(project.investment, project.land_mu),
        "tax_per_mu": ratio(project.promised_tax, project.land_mu),
        "floor_area_ratio": project.floor_area_ratio,
        "energy_per_output": ratio(project.energy_tce, project.promised_output),
    }


def _show(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP).normalize():f}"


def _fits(industry_code: str, prefixes: tuple[str, ...]) -> bool:
    code = industry_code.strip().upper().lstrip("ABCDEFGHIJKLMNOPQRST")
    return any(code.startswith(p.upper().lstrip("ABCDEFGHIJKLMNOPQRST")) for p in prefixes)


def run(rules: ReviewRules, project: Project, extra: tuple[ExtraRule, ...] = ()) -> Outcome:
    found = figures(project)
    verdicts: list[Verdict] = []
    text = f"{project.name} {project.description}"
    hits = [rule for rule in rules.negative_list if rule.hits(project.industry_code, text)]
    veto_negative = "negative_list" in rules.vetoes
    if hits:
        reasons = "；".join(
            f"{r.reason}（{'行业 ' + r.industry if r.industry else '关键词“' + r.keyword + '”'}）"
            for r in hits
        )
        verdicts.append(
            Verdict("negative_list", "负面清单", False, f"属于负面清单：{reasons}", veto_negative)
        )
    else:
        verdicts.append(Verdict("negative_list", "负面清单", True, "不属于负面清单"))
    exempt = exempt_from_land(rules, project)
    for key, (threshold, source) in _strictest(rules, extra).items():
        figure, direction, wording = THRESHOLDS[key]
        label, unit = FIGURE_LABELS[figure]
        value = found[figure]
        rule = f"{wording} {_show(threshold)} {unit}".rstrip() + (f"，{source}" if source else "")
        if exempt and figure in LAND_FIGURES:
            verdicts.append(Verdict(key, label, True, f"入驻标准厂房，不新征地，不适用（要求{rule}）"))
            continue
        if value is None:
            verdicts.append(Verdict(key, label, False, f"未填写{label}，无法判断（要求{rule}）"))
            continue
        passed = value >= threshold if direction == "min" else value <= threshold
        shown = f"{label} {_show(value)} {unit}".rstrip()  # "容积率 1.2" has no unit
        veto = not passed and key in rules.vetoes
        why = f"{shown}，{'符合' if passed else '不符合'}要求（{rule}）" + ("，一票否决" if veto else "")
        verdicts.append(Verdict(key, label, passed, why, veto))
    if project.enterprise_grade:
        verdicts.append(_grade_verdict(rules, project))
    if "untrustworthy_investor" in rules.vetoes:
        bad = project.untrustworthy_investor
        reason = "投资方为失信被执行人" if bad else "投资方未列入失信被执行人名单"
        verdicts.append(Verdict("untrustworthy_investor", "投资方信用", not bad, reason, bad))
    lines = [_score_line(rules, c, project, found) for c in rules.criteria]
    score = sum((line.points for line in lines), Decimal(0))
    if exempt:  # the criteria that read land do not apply: the others are scaled to 100
        applicable = sum((c.weight for c in rules.criteria if c.key not in LAND_FIGURES), Decimal(0))
        if applicable:
            score = score * sum((c.weight for c in rules.criteria), Decimal(0)) / applicable
    score = score.quantize(Decimal("0.1"), ROUND_HALF_UP)
    vetoed = any(v.veto for v in verdicts)
    rules_passed = all(v.passed for v in verdicts)
    if vetoed:
        suggestion = "reject"
    elif rules_passed and score >= rules.pass_line:
        suggestion = "pass"
    else:
        suggestion = "conditional"
    return Outcome(tuple(verdicts), tuple(lines), score, rules_passed, vetoed, suggestion)


def _grade_verdict(rules: ReviewRules, project: Project) -> Verdict:
    grade, year = project.enterprise_grade, project.grade_year
    seen = f"既有企业{f'{year} 年' if year else ''}亩均评价为 {grade} 类"
    if grade not in rules.low_grades:
        return Verdict("low_grade", "亩均评价", True, seen)
    veto = "low_grade" in rules.vetoes
    return Verdict("low_grade", "亩均评价", False, seen + ("，一票否决" if veto else "，请重点审查"), veto)


def _score_line(
    rules: ReviewRules, criterion: Criterion, project: Project, found: dict[str, Decimal | None]
) -> ScoreLine:
    label = CRITERIA[criterion.key]
    if exempt_from_land(rules, project) and criterion.key in LAND_FIGURES:
        return ScoreLine(
            criterion.key, label, criterion.weight, Decimal(0), "入驻标准厂房，不适用，按其余各项折算"
        )
    if criterion.key == "industry_fit":
        fits = _fits(project.industry_code, rules.key_industries)
        share = Decimal(1) if fits else Decimal(0)
        basis = "属于本县主导产业" if fits else "不属于本县主导产业"
    elif criterion.key == "investor":
        share = rules.rank_shares.get(project.investor_rank, rules.rank_shares.get("", Decimal("0.5")))
        if project.untrustworthy_investor:
            share = Decimal(0)
        kind = RANK_LABELS.get(project.investor_rank, "其他")
        basis = ("其他投资方" if kind == "其他" else kind) + (
            "，失信被执行人" if project.untrustworthy_investor else ""
        )
    else:
        value = found[criterion.key]
        label_unit = FIGURE_LABELS[criterion.key][1]
        assert criterion.full_at is not None
        if value is None:
            share, basis = Decimal(0), "未填写，记 0 分"
        else:
            share = min(value / criterion.full_at, Decimal(1))
            basis = (
                f"{_show(value)} {label_unit}，达到 {_show(criterion.full_at)} {label_unit} 得满分".replace(
                    "  ", " "
                )
            )
    points = (criterion.weight * share).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return ScoreLine(criterion.key, label, criterion.weight, points, basis)
