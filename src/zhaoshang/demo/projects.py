"""About 150 demo projects over 2019–2025 in every stage, moved through the services so every stage
holds what the state machine requires; follow-ups are recent for most, stale or overdue for some."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.org.models import Unit, User
from zhaoshang.projects import services
from zhaoshang.projects.lifecycle import DROP_REASONS, PATH, Stage
from zhaoshang.projects.models import CHANNELS

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
    leaders = list(User.objects.filter(memberships__role="responsible_leader").distinct().order_by("pk"))
    today = timezone.localdate()
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
            planned_investment=Decimal(rng.choice([5000, 12000, 20000, 30000, 50000, 100000])),
            land_needed_mu=Decimal(rng.choice([20, 35, 50, 80, 120])),
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
        for target in PATH[1 : depth + 1]:
            on = min(on + dt.timedelta(days=rng.randint(20, 120)), today)
            if target == Stage.SIGNED:
                services.review_record(
                    SYSTEM,
                    project,
                    decision=rng.choice(["pass", "conditional"]),
                    notes="预审小组 7 人出席，6 票同意",
                )
            supplied: dict = {}
            if target == Stage.SIGNED:
                supplied["contract_amount"] = project.planned_investment * Decimal(
                    rng.choice(["0.8", "1", "1.2"])
                )
            if target == Stage.LAND_SUPPLIED:
                supplied["land_area"] = project.land_needed_mu
            if target == Stage.STARTED:
                supplied["start_date"] = on
            if target == Stage.PRODUCING:
                supplied["production_date"] = on
            if target == Stage.FULL_OUTPUT:
                supplied["full_output_date"] = on
            evidence = (
                [(EVIDENCE[target], f"{EVIDENCE[target]}-{n + 1}.pdf", b"%PDF-1.4 demo")]
                if target in EVIDENCE
                else []
            )
            services.project_move(
                SYSTEM, project, target.value, on=on, opinion="", supplied=supplied, evidence=evidence
            )
        stalled = depth < 3 and (today - on).days > 365  # years in talks: the county lets it go
        if stalled or (depth < 4 and rng.random() < 0.12):
            on = min(on + dt.timedelta(days=30), today)
            services.project_move(
                SYSTEM,
                project,
                Stage.DROPPED.value,
                on=on,
                opinion="投资方调整布局",
                supplied={"drop_reason": rng.choice(list(DROP_REASONS))},
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
