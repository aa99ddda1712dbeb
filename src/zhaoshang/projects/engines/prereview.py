"""项目预审 as data: pass/fail rules, a 100-point weighted score and veto items. Pure: no Django.

A county (or a park with rules of its own) keeps its review rules as JSON (`rules/review.json` ships
the defaults: speech 000's negative list and 20 亩 minimum, intensity and tax per 亩 thresholds as
counties publish them). `parse` names every problem in Chinese by its place; `run` gives each rule's
verdict with the figure it saw and why, the score line by line, and whether a veto item was hit.
The committee decides; the verdicts are what it decides on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from zhaoshang.projects.engines.errors import RulesError
from zhaoshang.projects.engines.promises import ratio

# Figures a rule or a criterion may look at, computed by `figures` from what the project declares.
FIGURE_LABELS = {
    "land_mu": ("拟用地", "亩"),
    "investment": ("计划投资", "万元"),
    "intensity": ("投资强度", "万元/亩"),
    "tax_per_mu": ("亩均税收（承诺）", "万元/亩·年"),
    "floor_area_ratio": ("容积率", ""),
    "energy_per_output": ("单位产值能耗", "吨标准煤/万元"),
}
# Thresholds a rule may set: the figure it reads and whether the figure must be at least or at most.
THRESHOLDS = {
    "min_land_mu": ("land_mu", "min", "用地不少于"),
    "min_intensity": ("intensity", "min", "投资强度不低于"),
    "min_tax_per_mu": ("tax_per_mu", "min", "亩均税收不低于"),
    "min_floor_area_ratio": ("floor_area_ratio", "min", "容积率不低于"),
    "max_energy_per_output": ("energy_per_output", "max", "单位产值能耗不高于"),
}
CRITERIA = {
    "intensity": "投资强度",
    "investment": "投资规模",
    "tax_per_mu": "亩均税收",
    "floor_area_ratio": "土地利用（容积率）",
    "industry_fit": "产业契合度",
    "investor": "投资方实力和信用",
}
RANKS = ("global500", "china500", "private500", "")
RANK_LABELS = {"global500": "世界500强", "china500": "中国500强", "private500": "中国民营500强", "": "其他"}
VETOES = {
    "negative_list": "属于负面清单",
    "untrustworthy_investor": "投资方为失信被执行人",
}


@dataclass(frozen=True)
class NegativeListRule:
    reason: str
    industry: str = ""  # a GB/T 4754 code or its prefix: "2511", "C25"
    keyword: str = ""  # matched in the project's name and description

    def hits(self, industry_code: str, text: str) -> bool:
        code = industry_code.strip().upper().lstrip("ABCDEFGHIJKLMNOPQRST")
        prefix = self.industry.strip().upper().lstrip("ABCDEFGHIJKLMNOPQRST")
        return bool((prefix and code.startswith(prefix)) or (self.keyword and self.keyword in text))


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: Decimal
    full_at: Decimal | None = None  # the figure that earns the full weight (linear below it)


@dataclass(frozen=True)
class ReviewRules:
    negative_list: tuple[NegativeListRule, ...]
    thresholds: dict[str, Decimal]
    criteria: tuple[Criterion, ...]
    key_industries: tuple[str, ...]  # industry-code prefixes of the county's chains: full industry fit
    rank_shares: dict[str, Decimal]  # share of the investor criterion's weight by 500-strong kind
    vetoes: tuple[str, ...]
    pass_line: Decimal  # score at or above which the rules suggest "pass"

    # Readable lines for the rules page.
    @property
    def threshold_lines(self) -> list[tuple[str, Decimal, str]]:
        return [(THRESHOLDS[k][2], v, FIGURE_LABELS[THRESHOLDS[k][0]][1]) for k, v in self.thresholds.items()]

    @property
    def criterion_lines(self) -> list[tuple[str, Decimal, str]]:
        def basis(c: Criterion) -> str:
            if c.key == "industry_fit":
                return f"属于主导产业（{'、'.join(self.key_industries) or '未设定'}）得满分"
            if c.key == "investor":
                return "按 500 强类别和信用：" + "、".join(
                    f"{RANK_LABELS[r]} {share * 100:.0f}%" for r, share in self.rank_shares.items()
                )
            return f"达到 {c.full_at} {FIGURE_LABELS[c.key][1]} 得满分，以下按比例"

        return [(CRITERIA[c.key], c.weight, basis(c)) for c in self.criteria]

    @property
    def veto_labels(self) -> list[str]:
        return [VETOES[v] for v in self.vetoes]


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


def _decimal(value: Any, where: str, problems: list[str], *, positive: bool = True) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems.append(f"{where}：必须是数字")
        return None
    if not number.is_finite() or (positive and number <= 0) or number < 0:
        problems.append(f"{where}：必须大于 0" if positive else f"{where}：不能为负数")
        return None
    return number


def _section(content: Mapping[str, Any], key: str, label: str, problems: list[str], *, listed: bool) -> Any:
    """A list or object section of the rules; empty (and a problem named) when it is neither."""
    value = content.get(key)
    if not value:
        return [] if listed else {}
    if listed and not isinstance(value, list):
        problems.append(f"{label}（{key}）：应为一个列表（[…]）")
        return []
    if not listed and not isinstance(value, Mapping):
        problems.append(f"{label}（{key}）：应为一个对象（{{…}}）")
        return {}
    return value


def parse(content: Any) -> ReviewRules:
    """Read review rules; every problem is named by its place, all of them at once."""
    problems: list[str] = []
    if not isinstance(content, Mapping):
        raise RulesError(["预审规则：必须是一个 JSON 对象"])
    negatives = []
    for i, item in enumerate(_section(content, "negative_list", "负面清单", problems, listed=True), 1):
        where = f"负面清单第 {i} 条"
        if not isinstance(item, Mapping):
            problems.append(f"{where}：必须是对象")
            continue
        industry, keyword = str(item.get("industry") or "").strip(), str(item.get("keyword") or "").strip()
        reason = str(item.get("reason") or "").strip()
        if not industry and not keyword:
            problems.append(f"{where}：须填写行业代码（industry）或关键词（keyword）")
        if not reason:
            problems.append(f"{where}：须写明原因（reason），如高污染、落后产能")
        negatives.append(NegativeListRule(reason=reason, industry=industry, keyword=keyword))
    thresholds: dict[str, Decimal] = {}
    for key, value in _section(content, "thresholds", "门槛", problems, listed=False).items():
        if key not in THRESHOLDS:
            problems.append(f"门槛 {key}：不认识，可用 {'、'.join(THRESHOLDS)}")
        elif value is not None and (number := _decimal(value, f"门槛“{THRESHOLDS[key][2]}”", problems)):
            thresholds[key] = number
    criteria = []
    for i, item in enumerate(_section(content, "criteria", "评分项", problems, listed=True), 1):
        where = f"评分项 {i}"
        key = str(item.get("key") or "") if isinstance(item, Mapping) else ""
        if key not in CRITERIA:
            problems.append(f"{where}：key 必须是 {'、'.join(CRITERIA)} 之一")
            continue
        where = f"评分项 {i}（{CRITERIA[key]}）"
        weight = _decimal(item.get("weight"), f"{where}的权重", problems)
        full_at = None
        if key not in ("industry_fit", "investor"):
            full_at = _decimal(item.get("full_at"), f"{where}的满分值（full_at）", problems)
        if weight is not None:
            criteria.append(Criterion(key, weight, full_at))
    if criteria and sum(c.weight for c in criteria) != 100:
        total = sum(c.weight for c in criteria)
        problems.append(f"评分项权重：合计应为 100 分，现为 {total.normalize():f} 分")
    ranks: dict[str, Decimal] = {}
    for rank, share in _section(content, "rank_shares", "投资方实力", problems, listed=False).items():
        if rank not in RANKS:
            problems.append(f"投资方实力 {rank}：只能是 global500、china500、private500 或空字符串")
        elif (
            number := _decimal(share, f"投资方实力 {rank or '其他'} 的得分比例", problems, positive=False)
        ) is not None:
            if number > 1:
                problems.append(f"投资方实力 {rank or '其他'} 的得分比例：不能大于 1")
            ranks[rank] = number
    vetoes = tuple(_section(content, "vetoes", "一票否决项", problems, listed=True))
    problems.extend(
        f"一票否决项 {v}：只能是 {'、'.join(VETOES)}"
        for v in vetoes
        if not isinstance(v, str) or v not in VETOES
    )
    key_industries = _section(content, "key_industries", "主导产业", problems, listed=True)
    pass_line = _decimal(content.get("pass_line", 60), "建议通过分数线（pass_line）", problems)
    if problems:
        raise RulesError(problems)
    return ReviewRules(
        negative_list=tuple(negatives),
        thresholds=thresholds,
        criteria=tuple(criteria),
        key_industries=tuple(str(p).strip() for p in key_industries if str(p).strip()),
        rank_shares=ranks,
        vetoes=vetoes,
        pass_line=pass_line or Decimal(60),
    )


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


def run(rules: ReviewRules, project: Project) -> Outcome:
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
    for key, threshold in rules.thresholds.items():
        figure, direction, wording = THRESHOLDS[key]
        label, unit = FIGURE_LABELS[figure]
        value = found[figure]
        rule = f"{wording} {_show(threshold)} {unit}".rstrip()
        if value is None:
            verdicts.append(Verdict(key, label, False, f"未填写{label}，无法判断（要求{rule}）"))
            continue
        passed = value >= threshold if direction == "min" else value <= threshold
        shown = f"{label} {_show(value)} {unit}".rstrip()  # "容积率 1.2" has no unit
        verdicts.append(
            Verdict(key, label, passed, f"{shown}，{'符合' if passed else '不符合'}要求（{rule}）")
        )
    if "untrustworthy_investor" in rules.vetoes:
        bad = project.untrustworthy_investor
        reason = "投资方为失信被执行人" if bad else "投资方未列入失信被执行人名单"
        verdicts.append(Verdict("untrustworthy_investor", "投资方信用", not bad, reason, bad))
    lines = [_score_line(rules, c, project, found) for c in rules.criteria]
    score = sum((line.points for line in lines), Decimal(0)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    vetoed = any(v.veto for v in verdicts)
    rules_passed = all(v.passed for v in verdicts)
    if vetoed:
        suggestion = "reject"
    elif rules_passed and score >= rules.pass_line:
        suggestion = "pass"
    else:
        suggestion = "conditional"
    return Outcome(tuple(verdicts), tuple(lines), score, rules_passed, vetoed, suggestion)


def _score_line(
    rules: ReviewRules, criterion: Criterion, project: Project, found: dict[str, Decimal | None]
) -> ScoreLine:
    label = CRITERIA[criterion.key]
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
