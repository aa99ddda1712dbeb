"""About 150 demo projects from 2019 to this year in every stage, moved through the services so every stage
holds what the state machine requires; each entered its present stage within the rules' time limit
but a few, and follow-ups are recent for most, stale or overdue by days or weeks for some.

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
from zhaoshang.demo.pdf import small_pdf
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org.models import Unit, User
from zhaoshang.projects import rulebooks, services
from zhaoshang.projects.committee import DEFAULT_MAJOR_INVESTMENT
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


FIRST_YEAR = 2019
# How far a project of this age (years since its first contact) got at least; older ones, producing.
LOWEST_BY_AGE = {0: 0, 1: 1, 2: 3, 3: 4, 4: 5}
RANKS_DRAWN = [
    "",
    "",
    "",
    "",
    "",
    "",
    "china500",
    "private500",
    "global500",
    "central_soe",
    "state_owned",
    "leader",
]
TYPES_DRAWN = ["new", "new", "import", "expansion", "upgrade"]
OVERSTAY = 0.08  # a live project past its stage's time limit: a minority, as in a county's ledger
PRE_WORK_DAYS = {"site": 30, "land_reserve": 90, "planning": 120, "land_cost": 150, "approval": 180}


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 360))


def _pdf(kind: str, name: str, lines: list[str]) -> tuple[str, str, bytes]:
    return kind, name, small_pdf(f"Zhaoshang demo - {kind}", lines)


def _dwell(rng: random.Random, stage: Stage, limits: dict[str, int]) -> int:
    """Days the project has been in the stage it ends in: mostly within the rules' limit."""
    limit = limits.get(stage.value)
    if limit is None:
        return rng.randint(30, 400)
    if rng.random() < OVERSTAY:
        return int(limit * rng.uniform(1.05, 1.3))
    return max(1, int(limit * rng.uniform(0.05, 0.85)))


def build_projects(
    towns: list[Unit],
    parks: list[Unit],
    lead_units: list[Unit],
    count: int,
    seed: int,
    committee: list[str] | None = None,
) -> int:
    rng = random.Random(seed)
    leaders = list(User.objects.filter(memberships__role="leader").distinct().order_by("pk"))
    staff = list(User.objects.filter(memberships__role="unit_staff").distinct().order_by("pk"))
    today = timezone.localdate()
    limits = dict(rulebooks.shipped("tracking")["stage_limits"])
    members = committee or COMMITTEE
    enterprises = {
        town.pk: list(Enterprise.objects.filter(town=town, projects=None).order_by("pk")[:40])
        for town in towns
    }
    span = today.year - FIRST_YEAR + 1
    for n in range(count):
        year = FIRST_YEAR + n * span // count
        start = min(_day(rng, year), today - dt.timedelta(days=rng.randint(3, 40)))
        town = rng.choice(towns)
        # older projects got further; a few stop at each stage and some drop out; the newest wait for review
        lowest = LOWEST_BY_AGE.get(today.year - year, 6)
        depth = 2 if n >= count - 3 else rng.randint(lowest, min(len(PATH) - 1, lowest + 3))
        dwell = _dwell(rng, PATH[depth], limits)
        if depth == 0:
            start = max(start, today - dt.timedelta(days=dwell))
        planned = Decimal(rng.choice([6000, 10000, 15000, 20000, 40000, 60000, 120000]))
        project = services.project_create(
            SYSTEM,
            name=f"{rng.choice(ORIGINS)[-2:]}{rng.choice(WORDS)}项目{n + 1:03d}",
            investor_name=f"{rng.choice(ORIGINS)}{rng.choice(WORDS)}股份有限公司",
            investor_origin=rng.choice(ORIGINS),
            investor_rank=rng.choice(RANKS_DRAWN),
            project_type=rng.choice(TYPES_DRAWN),
            channel=rng.choice(CHANNELS)[0],
            industry_code=rng.choice(["3525", "2710", "3841", "1371", "4210", "3981", "3011"]),
            planned_investment=planned,
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
            # 重大项目 get a task force (speech 004)
            task_force=rng.sample(staff, min(3, len(staff))) if planned >= DEFAULT_MAJOR_INVESTMENT else [],
            stage_since=start,
        )
        if planned >= DEFAULT_MAJOR_INVESTMENT:
            _pre_work(rng, project, start, today)
        # The moves fill the time from first contact to the day the project entered its present stage.
        gaps = [rng.randint(20, 120) for _ in PATH[1 : depth + 1]]
        room = max((today - start).days - dwell, depth)
        gaps = [max(1, round(g * room / sum(gaps))) for g in gaps] if gaps else []
        on = start
        rejected = False
        for target, gap in zip(PATH[1 : depth + 1], gaps, strict=True):
            on = min(on + dt.timedelta(days=gap), today)
            if target == Stage.SIGNED:
                rejected = not _decide(rng, project, on, members)
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
            evidence = []
            if target in EVIDENCE:
                kind = EVIDENCE[target]
                lines = [f"Project {n + 1:03d}", f"Date {on:%Y-%m-%d}", f"Document {kind}"]
                evidence = [_pdf(kind, f"{EVIDENCE_LABELS[kind]}-{n + 1}.pdf", lines)]
            services.project_move(
                SYSTEM, project, target.value, on=on, opinion="", supplied=supplied, evidence=evidence
            )
        _fund(rng, project, today)
        _settle(rng, project, enterprises)
        if rejected or (depth < 4 and n < count - 3 and rng.random() < 0.12):
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
        _follow_up(rng, project, on, today)
    return count


def _follow_up(rng: random.Random, project: Project, since: dt.date, today: dt.date) -> None:
    """Most projects were followed up in the last fortnight with a next step ahead; a few are quiet
    for over a month or let a step slip by a few days (the alerts a county really sees)."""
    mood = rng.random()
    if mood < 0.07:  # quiet for a while
        last, step = today - dt.timedelta(days=rng.randint(35, 75)), rng.randint(7, 20)
    elif mood < 0.14:  # the next step slipped
        last = today - dt.timedelta(days=rng.randint(12, 25))
        step = (today - last).days - rng.randint(2, 9)
    else:
        last, step = today - dt.timedelta(days=rng.randint(0, 12)), 0
    last = max(last, since)
    earlier = since
    for _ in range(rng.randint(0, 2)):
        earlier = earlier + dt.timedelta(days=rng.randint(7, 40))
        if earlier >= last:
            break
        services.follow_up_add(
            SYSTEM,
            project,
            on=earlier,
            what="专班上门服务，协调推进",
            next_step="落实下一步事项",
            next_date=min(earlier + dt.timedelta(days=14), last),
        )
    next_date = (
        last + dt.timedelta(days=step) if step else max(last, today) + dt.timedelta(days=rng.randint(3, 30))
    )
    services.follow_up_add(
        SYSTEM, project, on=last, what="电话了解进展", next_step="跟踪审批", next_date=next_date
    )


def _pre_work(rng: random.Random, project: Project, start: dt.date, today: dt.date) -> None:
    """The pre-work checklist of a 重大项目: planned from first contact, done when its day came (mostly)."""
    for item, days in PRE_WORK_DAYS.items():
        planned = start + dt.timedelta(days=days)
        done = planned + dt.timedelta(days=rng.randint(-20, 25))
        services.pre_work_save(
            SYSTEM,
            project,
            item=item,
            planned_on=planned,
            done_on=done if done <= today and rng.random() < 0.85 else None,
        )


def _decide(rng: random.Random, project: Project, on: dt.date, members: list[str]) -> bool:
    """The committee follows the rules: vetoed is rejected; otherwise as the rules suggest."""
    review = project.reviews.order_by("-pk").first()
    assert review is not None
    decision = "reject" if review.vetoed else review.suggestion
    failed = "；".join(v["reason"] for v in review.verdicts if not v["passed"])
    votes = [
        {"member": m, "vote": "reject" if decision == "reject" else rng.choice([decision, decision, "pass"])}
        for m in members
    ]
    services.review_record(
        SYSTEM,
        project,
        decision=decision,
        notes=f"预审小组 {len(members)} 人出席。" + (f"未达要求：{failed}" if failed else "各项规则符合。"),
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
            proof=_pdf(
                "bank_record",
                f"进账单-{on:%Y%m%d}.pdf",
                [f"Date {on:%Y-%m-%d}", f"Amount {amount} (10k CNY)"],
            ),
            # Above the contract amount, or over half of it at once, an arrival is confirmed with a
            # reason (services/funds.py).
            confirm_reason="追加投资，见补充协议"
            if paid + amount > project.contract_amount or amount > project.contract_amount / 2
            else "",
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
