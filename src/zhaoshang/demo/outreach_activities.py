"""The demo county's outreach activities: two years of trips (each team out most weeks, each town most
months, leaders leading some), the events (a 花街节推介会 each year with the projects signed at it, the
quarter's signing ceremonies, the half-year's groundbreakings), the investors' visits, and where each
project came from with its referrer claims. Called by `demo.outreach.build_outreach`."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.org.models import Membership, Unit, User
from zhaoshang.outreach import services
from zhaoshang.outreach.models import Agreement, Contact, Event, ProjectOrigin, ReferrerClaim, Trip
from zhaoshang.projects.models import Project, StageMove

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗郑梁谢宋唐许邓冯韩曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红德海春晓"
CITIES = {
    "yangtze": ["杭州", "宁波", "上海", "苏州", "温州", "南京", "合肥"],
    "bohai": ["北京", "天津", "青岛", "济南"],
    "pearl": ["深圳", "广州", "东莞", "厦门", "福州"],
    "chengyu": ["成都", "重庆"],
    "other": ["武汉", "西安", "长沙", "郑州"],
}
REGION_OF = {city: region for region, cities in CITIES.items() for city in cities}
WORDS = "华远中科恒力瑞泰宏图金桥天合新元博达东方润丰"
INDUSTRIES = ["新材料", "智能装备", "生物医药", "电子信息", "食品加工", "新能源", "现代物流", "纺织服装"]
SITES = ["示范县经济开发区", "高新技术产业园", "标准厂房", "城关镇工业集中区", "河口镇物流园", "拟选址地块"]
OUTCOMES = ["达成初步投资意向", "约定下月再次洽谈", "对选址基本满意，提出用地需求", "进入合同条款洽谈"]
PLACES = ["示范县会展中心", "县政府会议中心", "示范县经济开发区管委会"]


def name_of(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def company_of(rng: random.Random, city: str) -> str:
    suffix = rng.choice(["集团有限公司", "科技股份有限公司", "实业有限公司"])
    return f"{city}{''.join(rng.sample(WORDS, 2))}{suffix}"


def trips(
    rng: random.Random,
    teams: list[Unit],
    towns: list[Unit],
    leaders: list[User],
    contacts: dict[str, list[Contact]],
    today: dt.date,
) -> list[Trip]:
    """Two years of trips: each team out most weeks (each team has its region), each town most months,
    a county leader leading some."""
    regions = ["yangtze", "pearl", "bohai", "chengyu"]
    met_in: dict[str, list[Contact]] = defaultdict(list)
    for kind in ("chamber", "hometown", "agent", "investor", "decision_maker"):
        for c in contacts[kind]:
            met_in[c.region].append(c)
    staff = {
        u.unit_id: u.user
        for u in Membership.objects.filter(role=Role.UNIT_STAFF).select_related("user").order_by("-pk")
    }
    coordinator = User.objects.filter(username="coordinator").first()
    monday = today - dt.timedelta(days=today.weekday())
    plan: list[tuple[Unit, dt.date, int]] = []
    for week in range(104, 0, -1):
        start = monday - dt.timedelta(weeks=week)
        plan += [(team, start + dt.timedelta(days=rng.randint(0, 2)), i) for i, team in enumerate(teams)]
        if start.day <= 7:  # the first week of a month: the towns go out
            plan += [(town, start + dt.timedelta(days=rng.randint(0, 14)), -1) for town in towns]
    found = []
    for unit, starts, i in plan:
        if rng.random() < (0.25 if i >= 0 else 0.35) or starts > today:
            continue
        region = regions[i % 4] if i >= 0 and rng.random() < 0.8 else rng.choice([*regions, "other"])
        city = rng.choice(CITIES[region])
        met = rng.sample(met_in[region], min(len(met_in[region]), rng.randint(1, 2)))
        member = staff.get(unit.pk) or (coordinator if rng.random() < 0.25 else None)
        found.append(
            services.trip_create(
                SYSTEM,
                members=[member] if member else [],
                contacts=met,
                unit=unit,
                leader=rng.choice(leaders) if rng.random() < 0.15 else None,
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=rng.randint(1, 4)),
                region=region,
                destination=city,
                purpose=f"赴{city}拜访{rng.choice(INDUSTRIES)}企业，对接在谈项目",
                companies_met="\n".join(company_of(rng, city) for _ in range(rng.randint(1, 3))),
                cost=Decimal(rng.randint(5, 40)) / 10,
                summary=rng.choice(["", "收集项目信息 2 条", "达成投资意向 1 个", "邀请企业来县考察"]),
            )
        )
    return found


Dated = tuple[dt.date, Project]


def _densest(dated: list[Dated], days: int) -> list[Dated]:
    """The most projects signed within `days` of one another, ending on the last one's day."""
    best: list[Dated] = []
    for on, _p in dated:
        window = [(d, q) for d, q in dated if on - dt.timedelta(days=days) <= d <= on]
        if len(window) > len(best):
            best = window
    return best


def events(rng: random.Random, bureau: Unit, today: dt.date) -> list[Event]:
    """A 花街节推介会 each year with the projects signed at it, a 集中签约仪式 each quarter for the other
    signings, and a 集中开工仪式 each half-year with the projects started."""
    since = today - dt.timedelta(days=730)
    found: list[Event] = []
    listed: set[int] = set()

    def event(kind: str, name: str, dated: list[Dated], role: str) -> None:
        e = services.event_create(
            SYSTEM,
            unit=bureau,
            kind=kind,
            name=name,
            on=dated[-1][0],
            place=rng.choice(PLACES),
            note=f"{name}，现场签约、开工的项目逐项跟踪。",
        )
        for _on, p in dated:
            services.event_add_project(SYSTEM, e, p, role, p.contract_amount if role == "signed" else None)
            listed.add(p.pk)
        found.append(e)

    rows = Project.objects.select_related("town").order_by("signed_on", "pk")
    signed = [(p.signed_on, p) for p in rows.filter(signed_on__gte=since) if p.signed_on]
    half = today - dt.timedelta(days=365)
    for n, part in enumerate(([x for x in signed if x[0] < half], [x for x in signed if x[0] >= half])):
        if best := _densest(part, 30):
            event("expo", f"第{'十' if n == 0 else '十一'}届花街节招商推介会", best, "signed")
    quarters: dict[tuple[int, int], list[Dated]] = defaultdict(list)
    for on, p in signed:
        if p.pk not in listed:
            quarters[(on.year, (on.month - 1) // 3 + 1)].append((on, p))
    for (year, quarter), dated in sorted(quarters.items()):
        event("signing", f"{year}年第{quarter}季度重点项目集中签约仪式", dated, "signed")
    starts = rows.filter(start_date__gte=since).order_by("start_date", "pk")
    halves: dict[tuple[int, int], list[Dated]] = defaultdict(list)
    for p in starts:
        if p.start_date:
            halves[(p.start_date.year, 1 if p.start_date.month <= 6 else 2)].append((p.start_date, p))
    for (year, h), dated in sorted(halves.items()):
        event("start", f"{year}年{'上' if h == 1 else '下'}半年重大项目集中开工仪式", dated[-8:], "started")
    return found


REFERRERS = {
    "chamber": "chamber",
    "hometown": "hometown",
    "agent": "agent",
    "investor_referral": "decision_maker",
    "expo": "investor",
}


def origins(
    rng: random.Random,
    trips: list[Trip],
    events: list[Event],
    agreements: list[Agreement],
    contacts: dict[str, list[Contact]],
    today: dt.date,
) -> None:
    """Each project's 引入单位 and, for the last two years' leads, the trip or event they came from;
    referrer claims: most recognised, some pending, two projects with two open claims."""
    projects = list(Project.objects.select_related("town", "lead_unit").order_by("pk"))
    firsts = {p.pk: p.stage_since for p in projects}
    for pk, on in StageMove.objects.values_list("project_id", "on"):
        firsts[pk] = min(firsts[pk], on)
    commissioned = [p for p in projects if p.channel == "commissioned"]
    for i, deal in enumerate(agreements):
        mine = [p for p in commissioned[i::3] if firsts[p.pk] >= deal.starts_on]
        services.agreement_add_projects(SYSTEM, deal, mine)
    by_agreement = {p.pk: a for a in agreements for p in a.projects.all()}
    claims: list[tuple[ReferrerClaim, float]] = []
    conflicts = 0
    for p in projects:
        first = firsts[p.pk]
        origin: dict[str, Any] = {"introducing_unit": p.lead_unit}
        before = [e for e in events if e.on <= first]
        if p.channel == "expo" and before:
            origin |= {"event": before[-1], "introducing_unit": before[-1].unit}
        elif p.pk in by_agreement:
            origin["agreement"] = by_agreement[p.pk]
        else:
            near = [t for t in trips if first - dt.timedelta(days=240) <= t.ends_on <= first]
            ours = [t for t in near if t.unit_id == p.town_id] or near
            if ours:
                trip = rng.choice(ours)
                origin |= {"trip": trip, "introducing_unit": trip.unit}
        services.origin_set(SYSTEM, p, **origin)
        agreement = by_agreement.get(p.pk)
        pool = [agreement.contact] if agreement else contacts.get(REFERRERS.get(p.channel, ""), [])
        if p.channel == "hometown":
            pool = [c for c in pool if c.home_town == p.town.name] or pool
        if not pool or (p.channel not in REFERRERS and not agreement):
            continue
        on = min(p.signed_on or today, today, first + dt.timedelta(days=rng.randint(3, 40)))
        unit: Unit = origin["introducing_unit"]
        evidence = f"{unit}引荐：首次对接于 {first:%Y-%m-%d}，附对接记录和投资方确认函。"
        claim = services.claim_file(
            SYSTEM, p, referrer=rng.choice(pool), claimant_unit=unit, evidence=evidence, on=on
        )
        if conflicts < 3 and p.signed_on is None and len(pool) > 1:
            conflicts += 1  # two units claim the same lead: both stay open until 发改局 decides
            rival = next(c for c in pool if c.pk != claim.referrer_id)
            services.claim_verify(SYSTEM, claim, "材料齐全，待与另一申报核对")
            services.claim_file(
                SYSTEM,
                p,
                referrer=rival,
                claimant_unit=p.town,
                evidence=f"{p.town}申报：引资人曾陪同投资方考察。",
                on=on,
            )
            continue
        claims.append((claim, rng.random()))
    for claim, draw in claims:
        if draw < 0.12:
            continue  # still 已申报
        services.claim_verify(SYSTEM, claim, "已核对引荐记录")
        if draw < 0.22:
            continue  # 已核实, waiting for recognition
        if draw < 0.27:
            services.claim_refuse(SYSTEM, claim, "投资方出具说明，项目系其自行对接，引荐关系不成立")
        else:
            services.claim_recognise(SYSTEM, claim, "经核实，认定为本项目引资人")


def visits(rng: random.Random, hosts: list[Unit], leaders: list[User], today: dt.date) -> None:
    """来访考察: the investors of the projects that came from a trip visited before signing; other
    companies visited and went home thinking it over."""
    led = ProjectOrigin.objects.filter(trip__isnull=False).select_related("project", "trip__unit")
    for origin in led.order_by("project_id"):
        p, trip = origin.project, origin.trip
        assert trip is not None
        last = min(p.signed_on or today, today)
        if rng.random() < 0.4 or last <= trip.ends_on:
            continue
        services.visit_create(
            SYSTEM,
            unit=trip.unit,
            on=trip.ends_on + dt.timedelta(days=rng.randint(1, (last - trip.ends_on).days)),
            company=p.investor_name,
            visitors=f"{name_of(rng)}董事长一行 {rng.randint(3, 8)} 人",
            sites="、".join(rng.sample(SITES, 2)),
            leader=rng.choice(leaders) if rng.random() < 0.5 else None,
            contact=trip.contacts.order_by("pk").first(),
            outcome=rng.choice(OUTCOMES),
            project=p,
        )
    for week in range(0, 104, 3):
        city = rng.choice([c for cs in CITIES.values() for c in cs])
        services.visit_create(
            SYSTEM,
            unit=rng.choice(hosts),
            on=today - dt.timedelta(weeks=week, days=rng.randint(0, 6)),
            company=company_of(rng, city),
            visitors=f"{name_of(rng)}总经理一行 {rng.randint(2, 6)} 人",
            sites=rng.choice(SITES),
            outcome=rng.choice(["回去研究后答复", *OUTCOMES]),
        )
