"""项目预审 rules: what a rulebook of kind "review" may say, and the parser naming every problem in
Chinese by its place. Pure: no Django. The engine that runs them is `prereview`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from zhaoshang.projects.engines.errors import RulesError

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
    "min_investment": ("investment", "min", "计划投资不低于"),
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
    "min_land_mu": "用地少于门槛（规模太小）",
    "low_grade": "既有企业亩均评价为低档",
}
# Thresholds that read the land: a project renting a standard factory building takes none.
LAND_FIGURES = ("land_mu", "intensity", "tax_per_mu", "floor_area_ratio")
GRADES = ("A", "B", "C", "D")


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
    # A project housed in a standard factory building is not judged on land it does not take.
    standard_building_exempt: bool = True
    # The published 亩均 grades of an existing enterprise that the review flags (a veto with "low_grade").
    low_grades: tuple[str, ...] = ("D",)

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
    total = sum((c.weight for c in criteria), Decimal(0))
    if criteria and total != 100:
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
    exempt = content.get("standard_building_exempt", True)
    if not isinstance(exempt, bool):
        problems.append("标准厂房项目免于用地门槛（standard_building_exempt）：只能是 true 或 false")
    low_grades = content.get("low_grades", ["D"])
    if not isinstance(low_grades, list) or any(g not in GRADES for g in low_grades):
        problems.append(f"亩均评价低档（low_grades）：只能是 {'、'.join(GRADES)} 中的一个或几个")
        low_grades = []
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
        standard_building_exempt=exempt is True,
        low_grades=tuple(low_grades),
    )
