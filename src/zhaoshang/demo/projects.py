"""About 150 demo projects over 2019–2025 in every stage, moved through the services so every stage
holds what the state machine requires; follow-ups are recent for most, stale or overdue for some.

The scale follows speech 003: about 40 亿元 of contracts signed and 20 亿元 of funds in place a year.
Each submission to review runs the county's rules; the committee follows the rules' suggestion and a
vetoed project is rejected and dropped. Producing projects settle as county enterprises, so their
promises can be set against what they achieve."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org.models import Unit, User
from zhaoshang.projects import services
from zhaoshang.projects.engines.lifecycle import DROP_REASONS, EVIDENCE_LABELS, PATH, Stage
from zhaoshang.projects.models import CHANNELS, Project

WORDS = [
    "新材料",
    "智能装备",
    "生物医药",
    "精密制造",
    "新能源电池",
    "食品深加工",
    "再生资源",
    "电子元件",
    "医疗器械",
    "绿色建材",
]
ORIGINS = [
    "浙江宁波",
    "江苏苏州",
    "广东深圳",
    "上海",
    "福建厦门",
    "北京",
    "香港",
    "台湾",
    "山东青岛",
    "湖北武汉",
]
COMMITTEE = ["发改局 王强", "自然资源局 刘芳", "生态环境局 陈静", "工信局 赵磊", "招商局 孙敏"]
FOREIGN = {"香港": ("HKD", Decimal("0.92")), "台湾": ("USD", Decimal("7.10"))}
# How far towards the contract a project's money has come, by the stage it reached.
FUNDED = {
    Stage.SIGNED: (0.0, 0.2),
    Stage.LAND_SUPPLIED: (0.1, 0.3),
    Stage.STARTED: (0.25, 0.5),
    Stage.PRODUCING: (0.5, 0.7),
    Stage.FULL_OUTPUT: (0.85, 1.05),
}
EVIDENCE = {
    Stage.SIGNED: "agreement",
    Stage.LAND_SUPPLIED: "land_contract",
    Stage.STARTED: "construction_permit",
}


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 360))


def build_projects(
    towns: list[Unit], parks: list[Unit], lead_units: list[Unit], count: int, seed: int
) -> int:
    rng = random.Random(seed)
    leaders = list(User.objects.filter(memberships__role="leader").distinct().order_by("pk"))
    today = timezone.localdate()
    enterprises = {
        town.pk: list(Enterprise.objects.filter(town=town, projects=None).order_by("pk")[:40])
        for town in towns
    }
    for n in range(count):
        year = 2019 + n * 7 // count
        start = _day(rng, year)
        town = rng.choice(towns)
        project = services.project_create(
            SYSTEM,
            name=f"{rng.choice(ORIGINS)[-2:]}{rng.choice(WORDS)}项目{n + 1:03d}",
            investor_name=f"{rng.choice(ORIGINS)}{rng.choice(WORDS)}股份有限公司",
            investor_origin=rng.choice(ORIGINS),
            investor_rank=rng.choice(["", "", "", "", "", "china500", "private500", "global500"]),
            channel=rng.choice(CHANNELS)[0],
            industry_code=rng.choice(["3525", "2710", "3841", "1371", "4210", "3981", "3011"]),
            planned_investment=(planned := Decimal(rng.choice([6000, 10000, 15000, 20000, 40000, 60000]))),
            land_needed_mu=Decimal(rng.choice([15, 25, 35, 50, 80, 120])),
            registered_capital=planned * Decimal("0.2"),
            floor_area_ratio=Decimal(rng.choice(["0.8", "1.1", "1.3", "1.6"])),
            energy_tce=Decimal(rng.choice([200, 800, 3000, 9000])),
            investor_untrustworthy=rng.random() < 0.02,
            promised_output=Decimal(rng.choice([20000, 40000, 80000])),
            promised_tax=Decimal(rng.choice([600, 1200, 2500])),
            town=town,
            park=rng.choice(parks) if rng.random() < 0.6 else None,
            lead_unit=rng.choice(lead_units),
            responsible_leader=rng.choice(leaders) if leaders else None,
            stage_since=start,
        )
        # older projects got further; a few stop at each stage and some drop out
        lowest = {2019: 6, 2020: 6, 2021: 5, 2022: 4, 2023: 3, 2024: 1, 2025: 0}[year]
        depth = rng.randint(lowest, min(len(PATH) - 1, lowest + 3))
        on = start
        rejected = False
        for target in PATH[1 : depth + 1]:
            on = min(on + dt.timedelta(days=rng.randint(20, 120)), today)
            if target == Stage.SIGNED:
                rejected = not _decide(rng, project, on)
                if rejected:
                    break
                services.project_update(
                    SYSTEM,
                    project,
                    promised_start=on + dt.timedelta(days=rng.randint(120, 240)),
                    promised_production=on + dt.timedelta(days=rng.randint(400, 800)),
                )
            supplied: dict = {}
            if target == Stage.SIGNED:
                share = Decimal(rng.choice(["0.8", "1", "1.2"]))
                supplied["contract_amount"] = (project.planned_investment * share).quantize(Decimal("1"))
            if target == Stage.LAND_SUPPLIED:
                supplied["land_area"] = project.land_needed_mu
            if target == Stage.STARTED:
                supplied["start_date"] = on
            if target == Stage.PRODUCING:
                supplied["production_date"] = on
            if target == Stage.FULL_OUTPUT:
                supplied["full_output_date"] = on
            evidence = (
                [(EVIDENCE[target], f"{EVIDENCE_LABELS[EVIDENCE[target]]}-{n + 1}.pdf", b"%PDF-1.4 demo")]
                if target in EVIDENCE
                else []
            )
            services.project_move(
                SYSTEM, project, target.value, on=on, opinion="", supplied=supplied, evidence=evidence
            )
        _fund(rng, project, today)
        _settle(rng, project, enterprises)
        stalled = depth < 3 and (today - on).days > 365  # years in talks: the county lets it go
        if rejected or stalled or (depth < 4 and rng.random() < 0.12):
            on = min(on + dt.timedelta(days=30), today)
            services.project_move(
                SYSTEM,
                project,
                Stage.DROPPED.value,
                on=on,
                opinion="预审未通过" if rejected else "投资方调整布局",
                supplied={"drop_reason": "failed_review" if rejected else rng.choice(list(DROP_REASONS))},
            )
            continue
        last = on
        for _ in range(rng.randint(1, 3)):
            last = min(last + dt.timedelta(days=rng.randint(7, 40)), today)
            services.follow_up_add(
                SYSTEM,
                project,
                on=last,
                what="专班上门服务，协调推进",
                next_step="落实下一步事项",
                next_date=last + dt.timedelta(days=14),
            )
        if rng.random() < 0.8:  # most projects are followed up recently
            recent = today - dt.timedelta(days=rng.randint(0, 10))
            if recent >= last:
                services.follow_up_add(
                    SYSTEM,
                    project,
                    on=recent,
                    what="电话了解进展",
                    next_step="跟踪审批",
                    next_date=recent + dt.timedelta(days=rng.choice([3, 20, 30])),
                )
    return count


def _decide(rng: random.Random, project: Project, on: dt.date) -> bool:
    """The committee follows the rules: vetoed is rejected; otherwise as the rules suggest."""
    review = project.reviews.order_by("-pk").first()
    assert review is not None
    decision = "reject" if review.vetoed else review.suggestion
    failed = "；".join(v["reason"] for v in review.verdicts if not v["passed"])
    votes = [
        {"member": m, "vote": "reject" if decision == "reject" else rng.choice([decision, decision, "pass"])}
        for m in COMMITTEE
    ]
    services.review_record(
        SYSTEM,
        project,
        decision=decision,
        notes=f"预审小组 {len(COMMITTEE)} 人出席。" + (f"未达要求：{failed}" if failed else "各项规则符合。"),
        conditions="签约前补充能评、环评承诺，约定 3 个月内完成供地" if decision == "conditional" else "",
        votes=votes,
        on=on,
    )
    project.refresh_from_db()
    return decision != "reject"


def _fund(rng: random.Random, project: Project, today: dt.date) -> None:
    """Quarterly arrivals from signing up to the share the project's stage suggests."""
    project.refresh_from_db()
    stage = Stage(project.stage)
    if project.signed_on is None or stage not in FUNDED or not project.contract_amount:
        return
    low, high = FUNDED[stage]
    goal = (project.contract_amount * Decimal(str(round(rng.uniform(low, high), 2)))).quantize(Decimal("1"))
    on, paid = project.signed_on + dt.timedelta(days=rng.randint(20, 60)), Decimal(0)
    foreign = next((v for k, v in FOREIGN.items() if project.investor_origin.startswith(k)), None)
    while paid < goal and on <= today:
        amount = min(goal - paid, (goal * Decimal(str(rng.uniform(0.15, 0.4)))).quantize(Decimal("1")))
        if amount <= 0:
            break
        extra: dict = {}
        if foreign is not None:
            currency, rate = foreign
            extra = {
                "currency": currency,
                "foreign_amount": (amount / rate).quantize(Decimal("0.0001")),
                "exchange_rate": rate,
                "rate_date": on,
            }
        services.fund_arrival_add(
            SYSTEM,
            project,
            on=on,
            amount=amount,
            source="foreign" if foreign else "out_of_province",
            use="fixed_assets" if rng.random() < 0.8 else "working_capital",
            proof=("bank_record", f"进账单-{on:%Y%m%d}.pdf", b"%PDF-1.4 demo"),
            # Above the contract amount an arrival is confirmed with a reason (services/funds.py).
            confirm_reason="追加投资，见补充协议" if paid + amount > project.contract_amount else "",
            **extra,
        )
        paid += amount
        on += dt.timedelta(days=rng.randint(60, 120))


def _settle(rng: random.Random, project: Project, enterprises: dict[int, list[Enterprise]]) -> None:
    """A producing project is run by a county enterprise; its figures show what was achieved.

    The enterprise chosen is the one whose output is nearest a figure around the promise, so some
    keep their promise and some fall short, as in life.
    """
    choices = enterprises.get(project.town_id)
    if project.production_date is None or not choices or not project.promised_output:
        return
    aim = float(project.promised_output) * rng.uniform(0.7, 1.4)
    chosen = min(choices, key=lambda e: abs(float(_latest_output(e)) - aim))
    choices.remove(chosen)
    services.project_update(SYSTEM, project, enterprise=chosen)


def _latest_output(enterprise: Enterprise) -> Decimal:
    latest = enterprise.years.exclude(output_value=None).order_by("-year").first()
    return latest.output_value if latest else Decimal(0)
