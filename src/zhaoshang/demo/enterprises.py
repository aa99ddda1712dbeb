"""Demo enterprises and their yearly figures, deterministic, with county totals that follow speech 000.

Speech `000_688ab6f71737fa4a.txt`: in 2020 the county's industrial output was 127.43 亿元, of which
above-scale enterprises 111.61 亿元 (90 of them, revenue 109.8 亿元, tax 2.46 亿元, value added
29.06 亿元); 2015 output was 1/2.16 of 2020, growing 16.69% a year. The demo keeps those 2020 totals
exactly and grows the county along a path towards (but short of) the 2025 target of 400 亿元.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zhaoshang.core import audit, uscc
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.pinyin import initials
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear
from zhaoshang.enterprises.qualifications import ensure_defaults
from zhaoshang.org.models import Unit

FOUR = Decimal("0.0001")
YEARS = tuple(range(2019, 2026))
ABOVE_COUNT, BELOW_COUNT = 90, 400
# 入规 and 退规 (speech 003: "净增 6 家规上企业"): the biggest small firms grow past 2000 万元 of
# revenue, the smallest above-scale ones fall below it, from the year given on. 2020 stays the speech's.
ENTERING = {2024: 5, 2025: 8}
LEAVING = {2024: 2, 2025: 2}

# County totals in 万元. 2020 is the speech; the other years follow its growth path.
TOTAL_OUTPUT = {
    2019: 1092000,
    2020: 1274300,
    2021: 1490900,
    2022: 1729500,
    2023: 1988900,
    2024: 2287200,
    2025: 2607400,
}
ABOVE_OUTPUT_2020 = Decimal("1116100")
ABOVE_REVENUE_2020 = Decimal("1098000")
ABOVE_TAX_2020 = Decimal("24600")
ABOVE_VALUE_ADDED_2020 = Decimal("290600")

# (chain or traditional industry, GB/T 4754 codes, words for names, energy t/万元, power 万kWh/万元)
SECTORS = [
    ("循环经济", ["4210", "4220"], ["再生资源", "循环科技", "资源利用"], 0.12, 0.05),
    (
        "智能制造",
        ["3421", "3491", "3990", "3525"],
        ["智能装备", "精密机械", "自动化", "电子科技"],
        0.03,
        0.04,
    ),
    ("现代农业", ["1371", "1391", "1530"], ["农业开发", "食品", "茶业"], 0.05, 0.02),
    ("医药医疗", ["2710", "2740", "3581", "2761"], ["药业", "生物医药", "医疗器械"], 0.06, 0.03),
    ("电商贸易", ["2231", "2929"], ["包装制品", "塑业"], 0.04, 0.03),
    ("旅游康养", ["1512", "1524"], ["酒业", "饮品"], 0.05, 0.02),
    ("水泥建材", ["3011", "3021", "3032", "3062"], ["水泥", "建材", "新型材料"], 0.9, 0.12),
    ("冶金及有色金属加工", ["3140", "3251", "3216", "3130"], ["冶金", "铜业", "铝业", "金属材料"], 0.7, 0.25),
    ("化工", ["2614", "2621"], ["化工", "化学"], 0.5, 0.1),
    ("箱板包装", ["2221", "2231"], ["纸业", "纸品包装"], 0.2, 0.05),
    ("农特产品加工", ["1371", "1369", "1530"], ["农产品", "特产", "果蔬"], 0.04, 0.02),
]
PREFIXES = "华鑫恒泰宏达永盛金源瑞丰汇通中创天成佳信盛世远航新峰正德嘉禾"


@dataclass
class DemoCompany:
    enterprise: Enterprise
    weight: float
    energy: float
    power: float
    founded_year: int
    above: bool


def _money(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(FOUR, rounding=ROUND_HALF_UP)


def make_code(rng: random.Random, region: str = "990121") -> str:
    """A code whose GB 11714 part and GB 32100 check character are both right."""
    while True:
        body = "".join(rng.choice(uscc.CHARSET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        org_check = uscc.organisation_check_character(body)
        if org_check is not None and org_check in uscc.CHARSET:
            first17 = "91" + region + body + org_check
            return first17 + uscc.check_character(first17)


def _scale_to(values: list[Decimal], total: Decimal) -> list[Decimal]:
    """Scale to an exact total at 4 decimals; the rounding remainder goes to the largest value."""
    current = sum(values, Decimal(0))
    scaled = [_money(v * total / current) for v in values]
    biggest = max(range(len(scaled)), key=scaled.__getitem__)
    scaled[biggest] += total - sum(scaled, Decimal(0))
    return scaled


def _companies(rng: random.Random, towns: Sequence[Unit], parks: Sequence[Unit]) -> list[DemoCompany]:
    companies: list[DemoCompany] = []
    used: set[str] = set()
    for i in range(ABOVE_COUNT + BELOW_COUNT):
        above = i < ABOVE_COUNT
        chain, codes, words, energy, power = SECTORS[i % len(SECTORS)] if above else rng.choice(SECTORS)
        town = rng.choice(towns)
        name = ""
        while not name or name in used:
            name = f"示范县{rng.choice(PREFIXES)}{rng.choice(PREFIXES)}{rng.choice(words)}有限公司"
        used.add(name)
        founded_year = rng.choice(range(1998, 2019)) if rng.random() < 0.93 else rng.choice(range(2019, 2024))
        if above:
            founded_year = min(founded_year, 2019)  # the 90 above-scale enterprises of 2020 all existed then
        enterprise = Enterprise(
            uscc=make_code(rng),
            name=name,
            name_initials=initials(name),
            industry_code=rng.choice(codes),
            industry_section="C",
            town=town,
            park=rng.choice(parks) if parks and rng.random() < (0.7 if above else 0.35) else None,
            founded_on=dt.date(founded_year, rng.randint(1, 12), rng.randint(1, 28)),
            contact_person=rng.choice("王李张刘陈杨赵黄周吴") + rng.choice("经理主任总工"),
            contact_phone=f"13{rng.randint(100000000, 999999999)}",
            above_scale=above,
        )
        weight = rng.lognormvariate(0, 0.8) + (0.25 if above else 0.05)
        companies.append(DemoCompany(enterprise, weight, energy, power, founded_year, above))
    return companies


def _moves(companies: list[DemoCompany]) -> tuple[dict[str, int], dict[str, int]]:
    """{uscc: year it enters}, {uscc: year it leaves}: chosen by weight, drawing nothing at random."""
    small = sorted(
        (c for c in companies if not c.above and c.founded_year <= 2019),
        key=lambda c: (-c.weight, c.enterprise.uscc),
    )
    large = sorted((c for c in companies if c.above), key=lambda c: (c.weight, c.enterprise.uscc))

    def plan(firms: list[DemoCompany], per_year: dict[int, int]) -> dict[str, int]:
        years = [year for year, n in sorted(per_year.items()) for _ in range(n)]
        return {c.enterprise.uscc: year for c, year in zip(firms, years, strict=False)}

    return plan(small, ENTERING), plan(large, LEAVING)


def _years(rng: random.Random, companies: list[DemoCompany]) -> Iterator[EnterpriseYear]:
    above = [c for c in companies if c.above]
    below = [c for c in companies if not c.above]
    entering, leaving = _moves(companies)
    growth = {c.enterprise.uscc: rng.uniform(0.92, 1.25) for c in companies}
    for year in YEARS:
        factor = TOTAL_OUTPUT[year] / TOTAL_OUTPUT[2020]
        above_total = _money(ABOVE_OUTPUT_2020 * Decimal(str(factor)))
        below_total = Decimal(TOTAL_OUTPUT[year]) - above_total
        for group, total in ((above, above_total), (below, below_total)):
            alive = [c for c in group if c.founded_year <= year]
            drift = [Decimal(str(c.weight * growth[c.enterprise.uscc] ** (year - 2020))) for c in alive]
            outputs = _scale_to(drift, total)
            revenue = _scale_to(
                [o * Decimal(str(rng.uniform(0.9, 1.02))) for o in outputs],
                _money(total * ABOVE_REVENUE_2020 / ABOVE_OUTPUT_2020),
            )
            tax = _scale_to(
                [r * Decimal(str(rng.uniform(0.01, 0.035))) for r in revenue],
                _money(total * ABOVE_TAX_2020 / ABOVE_OUTPUT_2020),
            )
            added = _scale_to(
                [o * Decimal(str(rng.uniform(0.2, 0.32))) for o in outputs],
                _money(total * ABOVE_VALUE_ADDED_2020 / ABOVE_OUTPUT_2020),
            )
            for c, out, rev, tx, va in zip(alive, outputs, revenue, tax, added, strict=True):
                if c.above and rev < 2000:
                    rev = Decimal(2000) + _money(rng.uniform(0, 300))
                if not c.above and rev >= 2000:
                    rev = _money(rng.uniform(1500, 1990))
                since = entering.get(c.enterprise.uscc) or leaving.get(c.enterprise.uscc)
                if since is not None and year >= since:
                    # Past (入规) or below (退规) the line by an amount that differs from firm to firm.
                    step = Decimal(int(c.weight * 1000) % 400)
                    rev = Decimal(2050) + step if c.enterprise.uscc in entering else Decimal(1550) + step
                    out = max(out, _money(rev * Decimal("1.04")))
                # Small firms often report no energy or emission data: those stay missing.
                reports_energy = c.above or rng.random() < 0.8
                yield EnterpriseYear(
                    enterprise=c.enterprise,
                    year=year,
                    output_value=out,
                    value_added=va,
                    revenue=rev,
                    tax=tx,
                    energy_tce=_money(float(out) * c.energy * rng.uniform(0.8, 1.2))
                    if reports_energy
                    else None,
                    electricity_10k_kwh=_money(float(out) * c.power * rng.uniform(0.8, 1.2)),
                    emission_equivalent=_money(float(out) * c.energy * 0.01) if reports_energy else None,
                    rd_spending=_money(float(rev) * rng.uniform(0, 0.04))
                    if c.above or rng.random() < 0.3
                    else None,
                    employees=max(5, int(float(out) / rng.uniform(40, 90))),
                    land_area_mu=_money(max(3.0, float(out) / rng.uniform(150, 600))),
                )


def build_enterprises(seed: int, towns: Sequence[Unit], parks: Sequence[Unit]) -> dict[str, int]:
    rng = random.Random(seed)
    qualifications = ensure_defaults()
    companies = _companies(rng, towns, parks)
    Enterprise.objects.bulk_create([c.enterprise for c in companies], batch_size=500)
    saved = dict(Enterprise.objects.values_list("uscc", "pk"))
    for c in companies:
        c.enterprise.pk = saved[c.enterprise.uscc]
    years = list(_years(rng, companies))
    latest_land = {y.enterprise.uscc: y.land_area_mu for y in years}
    for c in companies:
        land = latest_land.get(c.enterprise.uscc) or Decimal(10)
        c.enterprise.land_owned_mu = _money(land * Decimal("0.9"))
        c.enterprise.land_leased_in_mu = _money(land * Decimal("0.1")) if rng.random() < 0.3 else None
    Enterprise.objects.bulk_update(
        [c.enterprise for c in companies], ["land_owned_mu", "land_leased_in_mu"], batch_size=500
    )
    EnterpriseYear.objects.bulk_create(years, batch_size=1000)
    through = Enterprise.qualifications.through
    links = []
    for c in companies[:ABOVE_COUNT]:
        roll = rng.random()
        if roll < 0.22:
            links.append(
                through(enterprise_id=c.enterprise.pk, qualification_id=qualifications["high_tech"].pk)
            )
        if roll < 0.08:
            links.append(
                through(
                    enterprise_id=c.enterprise.pk, qualification_id=qualifications["specialised_province"].pk
                )
            )
        if roll < 0.025:
            links.append(
                through(enterprise_id=c.enterprise.pk, qualification_id=qualifications["little_giant"].pk)
            )
    for k, link in enumerate(links):
        # Certificates run three years: some have lapsed, some run out within 90 days of today.
        link.awarded_on = dt.date(2019 + k % 6, 1 + (k * 5) % 12, 10 + k % 15)
        link.expires_on = link.awarded_on.replace(year=link.awarded_on.year + 3) - dt.timedelta(days=1)
    through.objects.bulk_create(links)
    audit.record_many(
        [
            {
                "action": AuditEvent.Action.CREATE,
                "target_type": "enterprises.enterprise",
                "target_id": c.enterprise.pk,
                "target_repr": c.enterprise.name,
                "after": audit.snapshot(c.enterprise),
                "reason": "演示数据",
            }
            for c in companies
        ]
        + [
            {
                "action": AuditEvent.Action.CREATE,
                "target_type": "enterprises.enterpriseyear",
                "target_id": f"{y.enterprise.uscc}:{y.year}",
                "target_repr": f"{y.enterprise.name} {y.year} 年",
                "after": audit.snapshot(y),
                "reason": "演示数据",
            }
            for y in years
        ]
    )
    return {"enterprises": len(companies), "years": len(years)}
