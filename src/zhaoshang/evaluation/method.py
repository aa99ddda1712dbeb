"""An evaluation scheme's method, read from data (JSON) into frozen dataclasses. Pure: no Django.

Every place runs 亩均评价 a little differently (../DOMAIN.md §1), so everything here is a setting:
who is in scope, how land adds up, the indicators and their weights, the scoring method, the
benchmarks, missing-figure rules, bonus and deduction items, the grading rule and what each grade
means for the enterprise. `parse` checks a definition and names each problem in Chinese by its place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

# What an indicator may divide: the yearly figures of `EnterpriseYear`, plus the scheme's land.
FIGURE_LABELS = {
    "output_value": "工业总产值",
    "value_added": "工业增加值",
    "revenue": "主营业务收入",
    "tax": "实缴税金",
    "energy_tce": "综合能耗",
    "electricity_10k_kwh": "用电量",
    "emission_equivalent": "主要污染物排放当量",
    "rd_spending": "R&D经费支出",
    "employees": "年平均职工人数",
    "land": "用地面积",
}
GRADES = ("A", "B", "C", "D")
NOT_RATED = "T"  # 不参评: utilities, new enterprises, projects under construction
CANNOT_EVALUATE = "X"  # a figure the scheme will not impute is missing
GRADE_LABELS = {
    "A": "A类（优先发展）",
    "B": "B类（鼓励提升）",
    "C": "C类（帮扶整治）",
    "D": "D类（限制淘汰）",
    NOT_RATED: "不参评",
    CANNOT_EVALUATE: "无法评价",
}
# Facts about an enterprise's year that schemes may use: exemptions, deductions, vetoes.
FACT_LABELS = {
    "under_construction": "重大项目在建",
    "accident": "安全生产或环保事故（起）",
    "major_accident": "重大安全生产或环保事故（起）",
    "tenants": "出租厂房给其他企业（家）",
}
# Indicators the speeches name, ready to pick by key: a scheme gives the key and its weight and benchmark,
# and the label, the figures divided and the unit come from here (a scheme may still override them).
STANDARD_INDICATORS = {
    "tax_per_mu": ("亩均税收", "tax", "land", "万元/亩"),
    "value_added_per_mu": ("亩均增加值", "value_added", "land", "万元/亩"),
    "output_per_mu": ("亩均产值", "output_value", "land", "万元/亩"),
    "revenue_per_mu": ("亩均主营业务收入", "revenue", "land", "万元/亩"),
    "energy_value_added": ("单位能耗增加值", "value_added", "energy_tce", "万元/吨标准煤"),
    "electricity_tax": ("单位用电税收", "tax", "electricity_10k_kwh", "万元/万千瓦时"),
    "labour_productivity": ("全员劳动生产率", "value_added", "employees", "万元/人"),
}
DIRECTIONS = {"surcharge": "加收", "relief": "减免"}
COVERS = {"above": "规上企业", "below": "规下企业", "all": "全部工业企业"}
SCORINGS = {"benchmark": "比值法（实际值 ÷ 基准值 × 权重）", "minmax": "极差法（20 + 80 × 标准化）"}
MISSING = {"average": "按参评企业该项平均得分计", "exclude": "不予评价"}
ROUNDINGS = {"half_up": "四舍五入", "floor": "向下取整", "ceil": "向上取整"}
LAND_PARTS = {"owned": "自有用地", "leased_in": "租入用地", "leased_out": "出租用地", "declared": "年报用地"}
# How a treatment's rate meets the enterprise's figures: rate × base × factor gives 万元.
TREATMENT_BASES = {
    "electricity_kwh": ("用电量", "元/千瓦时", Decimal(1)),  # 元/kWh × 万kWh = 万元
    "land_m2": ("用地面积", "元/平方米·年", Decimal(2000) / Decimal(3) / Decimal(10000)),  # 1 亩 = 666.67 m²
}


class MethodError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Benchmark:
    # "constant", "previous_average" (a multiple of the scope's previous-year average) or "none" (min–max)
    kind: str
    value: float | None = None
    multiple: float = 1.0


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    numerator: str
    denominator: str
    weight: float
    unit: str = ""
    scale: float = 1.0
    benchmark: Benchmark = field(default_factory=lambda: Benchmark("previous_average", None, 1.0))
    cap: float | None = None  # most a firm's value may count, as a multiple of the benchmark
    missing: str = "exclude"


@dataclass(frozen=True)
class Grading:
    kind: str  # "share" or "threshold"
    within: str = "scope"  # "scope" or "industry" (GB/T 4754 大类, the first two digits)
    shares: tuple[tuple[str, float], ...] = (("A", 20.0), ("B", 40.0), ("C", 35.0), ("D", 5.0))
    rounding: str = "half_up"
    thresholds: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Adjustment:
    label: str
    points: float = 0.0
    qualification: str = ""  # +points when the enterprise holds it
    fact: str = ""  # points × (count − free) when the enterprise has that fact for the year
    free: int = 0
    limit: int | None = None  # most occurrences counted
    veto: bool = False  # the fact alone makes the enterprise D


@dataclass(frozen=True)
class Treatment:
    lever: str
    grades: tuple[str, ...]
    measure: str
    rates: tuple[Decimal, ...] = ()  # one rate, or one per consecutive year in these grades
    base: str = ""
    share: Decimal = Decimal(1)
    direction: str = "surcharge"  # "surcharge" or "relief"


@dataclass(frozen=True)
class Scope:
    sections: tuple[str, ...] = ("B", "C", "D")
    min_land_below: float = 5.0
    exempt_industries: tuple[str, ...] = ("44", "45", "46")
    exempt_years_in_production: int = 2
    exempt_facts: tuple[str, ...] = ("under_construction",)


@dataclass(frozen=True)
class Method:
    covers: str
    indicators: tuple[Indicator, ...]
    scoring: str = "benchmark"
    grading: Grading = field(default_factory=lambda: Grading("share"))
    land: tuple[tuple[str, float], ...] = (("owned", 1.0), ("leased_in", 1.0), ("leased_out", -1.0))
    scope: Scope = field(default_factory=Scope)
    adjustments: tuple[Adjustment, ...] = ()
    treatments: tuple[Treatment, ...] = ()
    low_efficiency_min_land: float = 10.0

    @property
    def figures(self) -> tuple[str, ...]:
        names = {i.numerator for i in self.indicators} | {i.denominator for i in self.indicators}
        return tuple(sorted(names))


class _Reader:
    """Reads one definition, collecting every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, rule: str) -> None:
        self.problems.append(f"{where}：{rule}")

    def number(self, raw: Any, where: str, *, positive: bool = False, default: float | None = None) -> float:
        if raw is None or raw == "":
            if default is not None:
                return default
            self.fail(where, "必须填写")
            return 0.0
        try:
            value = float(Decimal(str(raw)))
        except (InvalidOperation, ValueError):
            self.fail(where, f"“{raw}”不是数字")
            return 0.0
        if positive and value <= 0:
            self.fail(where, "必须大于 0")
        elif value != value or value in (float("inf"), float("-inf")):
            self.fail(where, "必须是有限的数字")
        return value

    def choice(self, raw: Any, options: Mapping[str, str], where: str, default: str) -> str:
        value = default if raw in (None, "") else str(raw)
        if value not in options:
            self.fail(where, f"只能是 {'、'.join(options)} 之一（{'；'.join(options.values())}）")
        return value

    def mapping(self, raw: Any, where: str) -> Mapping[str, Any]:
        if raw is None:
            return {}
        if not isinstance(raw, Mapping):
            self.fail(where, "格式应为对象（{…}）")
            return {}
        return raw

    def items(self, raw: Any, where: str) -> list[Any]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.fail(where, "格式应为列表（[…]）")
            return []
        return raw


def _indicator(r: _Reader, raw: Any, n: int, scoring: str) -> Indicator | None:
    where = f"指标 {n}"
    data = r.mapping(raw, where)
    key = str(data.get("key") or f"indicator_{n}").strip()
    standard = (
        dict(zip(("label", "numerator", "denominator", "unit"), STANDARD_INDICATORS[key], strict=True))
        if key in STANDARD_INDICATORS
        else {}
    )
    data = {**standard, **{k: v for k, v in data.items() if v not in (None, "")}}
    label = str(data.get("label") or "").strip()
    if label:
        where = f"指标 {n}（{label}）"
    else:
        r.fail(where, "名称必须填写")
    numerator = r.choice(data.get("numerator"), FIGURE_LABELS, f"{where}的分子", "")
    denominator = r.choice(data.get("denominator"), FIGURE_LABELS, f"{where}的分母", "")
    weight = r.number(data.get("weight"), f"{where}的权重", positive=True)
    bench = r.mapping(data.get("benchmark"), f"{where}的基准值")
    kind = r.choice(
        bench.get("kind"),
        {"constant": "公布的常数", "previous_average": "上年度平均值的倍数"},
        f"{where}的基准值类型",
        "constant",
    )
    if scoring == "minmax":  # min–max scaling needs no benchmark
        benchmark = Benchmark("none")
    elif kind == "constant":
        benchmark = Benchmark(kind, r.number(bench.get("value"), f"{where}的基准值", positive=True))
    else:
        benchmark = Benchmark(
            kind, None, r.number(bench.get("multiple"), f"{where}的倍数", positive=True, default=1)
        )
    cap = data.get("cap")
    return Indicator(
        key=key,
        label=label,
        numerator=numerator,
        denominator=denominator,
        weight=weight,
        unit=str(data.get("unit") or ""),
        scale=r.number(data.get("scale"), f"{where}的换算系数", positive=True, default=1),
        benchmark=benchmark,
        cap=None if cap in (None, "") else r.number(cap, f"{where}的封顶倍数", positive=True),
        missing=r.choice(data.get("missing"), MISSING, f"{where}的缺失处理", "exclude"),
    )


def _grading(r: _Reader, raw: Any) -> Grading:
    data = r.mapping(raw, "分类规则")
    kind = r.choice(data.get("kind"), {"share": "按比例", "threshold": "按分数线"}, "分类方式", "share")
    within = r.choice(
        data.get("within"), {"scope": "全域排名", "industry": "分行业排名"}, "排名范围", "scope"
    )
    rounding = r.choice(data.get("rounding"), ROUNDINGS, "名额取整规则", "half_up")
    shares: tuple[tuple[str, float], ...] = ()
    thresholds: tuple[tuple[str, float], ...] = ()
    if kind == "share":
        given = r.mapping(data.get("shares"), "各类比例")
        shares = tuple((g, r.number(given.get(g), f"{g} 类比例（%）", default=0)) for g in GRADES)
        if any(s < 0 for _, s in shares):
            r.fail("各类比例", "不能为负数")
        total = sum(s for _, s in shares)
        if abs(total - 100) > 1e-9:
            r.fail("各类比例", f"合计应为 100%，现为 {total:g}%")
    else:
        given = r.mapping(data.get("thresholds"), "分数线")
        thresholds = tuple((g, r.number(given.get(g), f"{g} 类分数线")) for g in GRADES[:-1])
        values = [t for _, t in thresholds]
        if values != sorted(values, reverse=True):
            r.fail("分数线", "A、B、C 类分数线应依次降低")
    return Grading(kind, within, shares or Grading("share").shares, rounding, thresholds)


def _treatment(r: _Reader, raw: Any, n: int) -> Treatment:
    where = f"差别化措施 {n}"
    data = r.mapping(raw, where)
    grades = tuple(str(g) for g in r.items(data.get("grades"), f"{where}的适用类别"))
    for g in grades:
        if g not in GRADES:
            r.fail(f"{where}的适用类别", f"“{g}”不是 A、B、C、D 之一")
    rates: list[Decimal] = []
    for k, raw_rate in enumerate(r.items(data.get("rates"), f"{where}的费率")):
        try:
            rates.append(Decimal(str(raw_rate)))
        except InvalidOperation:
            r.fail(f"{where}的第 {k + 1} 个费率", f"“{raw_rate}”不是数字")
    base = str(data.get("base") or "")
    if rates and base not in TREATMENT_BASES:
        r.fail(f"{where}的计费基数", f"只能是 {'、'.join(TREATMENT_BASES)} 之一")
    try:
        share = Decimal(str(data.get("share", 1)))
    except InvalidOperation:
        r.fail(f"{where}的比例", "不是数字")
        share = Decimal(1)
    if not str(data.get("lever") or "").strip() or not str(data.get("measure") or "").strip():
        r.fail(where, "事项和措施必须填写")
    return Treatment(
        lever=str(data.get("lever") or ""),
        grades=grades,
        measure=str(data.get("measure") or ""),
        rates=tuple(rates),
        base=base,
        share=share,
        direction=r.choice(data.get("direction"), DIRECTIONS, f"{where}的方向", "surcharge"),
    )


def parse(definition: Any) -> Method:
    """The method a definition describes, or MethodError listing every problem in it."""
    r = _Reader()
    data = r.mapping(definition, "方案")
    covers = r.choice(data.get("covers"), COVERS, "评价对象", "above")
    scoring = r.choice(data.get("scoring"), SCORINGS, "计分方法", "benchmark")
    indicators = [
        i
        for n, raw in enumerate(r.items(data.get("indicators"), "指标"), 1)
        if (i := _indicator(r, raw, n, scoring))
    ]
    if not indicators:
        r.fail("指标", "至少需要一个指标")
    keys = [i.key for i in indicators]
    if len(set(keys)) != len(keys):
        r.fail("指标", "代码不能重复")
    land_data = r.mapping(data.get("land"), "用地面积口径")
    land = (
        tuple(
            (part, r.number(land_data.get(part), f"用地面积口径的“{label}”系数", default=0))
            for part, label in LAND_PARTS.items()
            if part in land_data
        )
        or Method("above", ()).land
    )
    scope_data = r.mapping(data.get("scope"), "评价范围")
    scope = Scope(
        sections=tuple(str(s) for s in r.items(scope_data.get("sections"), "评价范围的行业门类"))
        or Scope().sections,
        min_land_below=r.number(scope_data.get("min_land_below"), "规下企业纳入的最小用地（亩）", default=0),
        exempt_industries=tuple(
            str(s) for s in r.items(scope_data.get("exempt_industries"), "不参评的行业代码")
        ),
        exempt_years_in_production=int(
            r.number(scope_data.get("exempt_years_in_production"), "投产不满几年不参评", default=0)
        ),
        exempt_facts=tuple(str(s) for s in r.items(scope_data.get("exempt_facts"), "不参评的情形")),
    )
    adjustments = []
    for n, raw in enumerate(r.items(data.get("adjustments"), "加减分项"), 1):
        item = r.mapping(raw, f"加减分项 {n}")
        label = str(item.get("label") or "").strip()
        if not label:
            r.fail(f"加减分项 {n}", "名称必须填写")
        if bool(item.get("qualification")) == bool(item.get("fact")):
            r.fail(f"加减分项 {n}（{label}）", "须且只须指定资质（qualification）或情形（fact）之一")
        adjustments.append(
            Adjustment(
                label=label,
                points=r.number(item.get("points"), f"加减分项 {n}（{label}）的分值", default=0),
                qualification=str(item.get("qualification") or ""),
                fact=str(item.get("fact") or ""),
                free=int(r.number(item.get("free"), f"加减分项 {n}（{label}）的免扣次数", default=0)),
                limit=None
                if item.get("limit") in (None, "")
                else int(r.number(item.get("limit"), f"加减分项 {n}（{label}）的最多计次", positive=True)),
                veto=bool(item.get("veto")),
            )
        )
    treatments = [
        _treatment(r, raw, n) for n, raw in enumerate(r.items(data.get("treatments"), "差别化措施"), 1)
    ]
    method = Method(
        covers=covers,
        indicators=tuple(indicators),
        scoring=scoring,
        grading=_grading(r, data.get("grading")),
        land=land,
        scope=scope,
        adjustments=tuple(adjustments),
        treatments=tuple(treatments),
        low_efficiency_min_land=r.number(
            data.get("low_efficiency_min_land"), "低效用地清单的最小用地（亩）", default=10
        ),
    )
    if r.problems:
        raise MethodError(r.problems)
    return method
