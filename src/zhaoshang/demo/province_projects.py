"""The province's projects at scale, for the load test and the benchmarks: 500 projects a county.

Bulk-inserted under 基准省 (after `build_province`): every stage of the path with dates in order,
contracts and funds in place that agree (each project's 实际到位资金 is the sum of its arrivals),
follow-ups recent for most and stale for some, promised dates that some projects have missed, and
one investment-promotion bureau per county that leads its projects. Also the people the load test
logs in as: for the first counties a coordinator, two town staff and a leader each, and a
province coordinator and inspector, all with the password given (never a deployment's).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhaoshang.core import audit, planner
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.demo.projects import ORIGINS, WORDS
from zhaoshang.org import services as org_services
from zhaoshang.org.models import Unit
from zhaoshang.org.standard import ensure_standard_kinds
from zhaoshang.projects.engines.lifecycle import PATH, Stage
from zhaoshang.projects.models import CHANNELS, FollowUp, FundArrival, Project

PER_COUNTY = 500
# How far a project got, as shares of a county's list: most in the early stages, a tenth dropped.
DEPTH_SHARES = [(0, 0.22), (1, 0.18), (2, 0.08), (3, 0.12), (4, 0.1), (5, 0.1), (6, 0.08), (7, 0.02)]
DROPPED_SHARE = 0.1
FUNDED = {3: (0.0, 0.2), 4: (0.1, 0.3), 5: (0.25, 0.5), 6: (0.5, 0.7), 7: (0.85, 1.0)}


def _depth(rng: random.Random) -> int:
    roll, running = rng.random(), 0.0
    for depth, share in DEPTH_SHARES:
        running += share
        if roll < running:
            return depth
    return DEPTH_SHARES[-1][0]


def _people(county: Unit, towns: list[Unit], password: str, n: int) -> list[tuple[str, str]]:
    """The log-ins of one county: (user name, role)."""
    made = []
    for role, unit, suffix in [
        (Role.COORDINATOR, county, "coord"),
        (Role.LEADER, county, "leader"),
        (Role.UNIT_STAFF, towns[0], "town1"),
        (Role.UNIT_STAFF, towns[1], "town2"),
    ]:
        username = f"load{n:03d}-{suffix}"
        user = org_services.user_create(by=SYSTEM, username=username, password=password, title="压测用户")
        org_services.membership_add(by=SYSTEM, user=user, unit=unit, role=role)
        made.append((username, role.value))
    return made


def build_province_projects(
    per_county: int = PER_COUNTY,
    people_counties: int = 12,
    password: str = "",
    seed: int = 4210,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    rng = random.Random(seed)
    kinds = ensure_standard_kinds()
    today = timezone.localdate()
    province = Unit.objects.get(name="基准省", kind__code="province")
    counties = list(Unit.objects.filter(kind__code="county", path__startswith=province.path).order_by("path"))
    people: list[tuple[str, str]] = []
    projects = follow_ups = arrivals = 0
    for n, county in enumerate(counties):
        towns = list(Unit.objects.filter(parent=county, kind__code="town").order_by("pk"))
        parks = list(Unit.objects.filter(parent=county, kind__code="park").order_by("pk"))
        with transaction.atomic():
            bureau = org_services.unit_create(
                by=SYSTEM, name=f"{county.name}投资促进局", kind=kinds["department"], parent=county
            )
            if password and n < people_counties:
                people += _people(county, towns, password, n + 1)
            rows, plans = [], []
            for i in range(per_county):
                depth = _depth(rng)
                started = today - dt.timedelta(days=rng.randint(30 + 120 * depth, 400 + 200 * depth))
                planned = Decimal(rng.choice([3000, 6000, 10000, 20000, 50000]))
                p = Project(
                    name=f"{county.name[-4:]}{rng.choice(WORDS)}项目{i + 1:03d}",
                    investor_name=f"{rng.choice(ORIGINS)}{rng.choice(WORDS)}股份有限公司",
                    investor_origin=rng.choice(ORIGINS),
                    channel=rng.choice(CHANNELS)[0],
                    industry_code=rng.choice(["3525", "2710", "3841", "1371", "3981", "3011"]),
                    planned_investment=planned,
                    land_needed_mu=Decimal(rng.choice([15, 25, 35, 50, 80])),
                    promised_output=planned * 2,
                    promised_tax=planned / 20,
                    town=rng.choice(towns),
                    park=rng.choice(parks) if parks and rng.random() < 0.6 else None,
                    lead_unit=bureau,
                    stage=PATH[depth].value,
                    stage_since=started,
                )
                signed = start = production = None
                if depth >= 3:  # signed: a contract, promised dates
                    signed = started + dt.timedelta(days=rng.randint(60, 120))
                    p.signed_on, p.review_decision = signed, "pass"
                    p.contract_amount = planned * Decimal(rng.choice(["0.8", "1", "1.2"]))
                    p.promised_start = signed + dt.timedelta(days=rng.randint(120, 240))
                    p.promised_production = signed + dt.timedelta(days=rng.randint(400, 800))
                if depth >= 4:
                    p.land_area_mu = p.land_needed_mu
                if depth >= 5 and signed:
                    p.start_date = start = min(signed + dt.timedelta(days=rng.randint(90, 300)), today)
                if depth >= 6 and start:
                    production = min(start + dt.timedelta(days=rng.randint(200, 500)), today)
                    p.production_date = production
                if depth >= 7 and production:
                    p.full_output_date = min(production + dt.timedelta(days=365), today)
                if depth < 3 and rng.random() < DROPPED_SHARE:
                    p.stage, p.drop_reason = Stage.DROPPED.value, "investor_withdrew"
                p.stage_since = min(max(d for d in (started, signed, start, production) if d), today)
                p.signed_on = signed
                rows.append(p)
                plans.append(depth)
            Project.objects.bulk_create(rows, batch_size=1000)
            notes, money = [], []
            for p, depth in zip(rows, plans, strict=True):
                last = p.stage_since
                for _ in range(rng.randint(0, 3)):
                    last = min(last + dt.timedelta(days=rng.randint(7, 60)), today)
                    notes.append(
                        FollowUp(
                            project=p,
                            on=last,
                            what="专班上门服务，协调推进",
                            next_step="落实下一步事项",
                            next_date=last + dt.timedelta(days=rng.choice([3, 14, 30])),
                        )
                    )
                if depth in FUNDED and p.contract_amount:
                    low, high = FUNDED[depth]
                    goal = (p.contract_amount * Decimal(str(round(rng.uniform(low, high), 2)))).quantize(
                        Decimal(1)
                    )
                    paid, on = Decimal(0), p.stage_since if p.signed_on is None else p.signed_on
                    while paid < goal and on <= today:
                        amount = min(goal - paid, (goal * Decimal("0.3")).quantize(Decimal(1)) or goal)
                        money.append(
                            FundArrival(
                                project=p, on=on, amount=amount, source="out_of_province", use="fixed_assets"
                            )
                        )
                        paid += amount
                        on = on + dt.timedelta(days=rng.randint(60, 120))
                    p.funds_in_place = paid
            FollowUp.objects.bulk_create(notes, batch_size=2000)
            FundArrival.objects.bulk_create(money, batch_size=2000)
            Project.objects.bulk_update(
                [p for p in rows if p.funds_in_place], ["funds_in_place"], batch_size=1000
            )
        projects, follow_ups, arrivals = projects + len(rows), follow_ups + len(notes), arrivals + len(money)
        if progress:
            progress(n + 1, len(counties))
    audit.record(
        AuditEvent.Action.CREATE,
        province,
        after={"projects": projects, "follow_ups": follow_ups, "fund_arrivals": arrivals, "seed": seed},
        reason="基准测试项目数据（批量生成）",
    )
    planner.refresh_statistics()  # a bulk load: the planner's statistics are stale
    return {"projects": projects, "follow_ups": follow_ups, "fund_arrivals": arrivals, "people": len(people)}
