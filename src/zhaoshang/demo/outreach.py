"""The demo county's outreach (招商活动与渠道), as speech 000 sets it up: the four leadership bodies each
linked to an overseas office and a county leader; about 40 chambers and associations kept by the teams
and towns (two towns without one); 150 home-town entrepreneurs; a few agents and investment firms;
three commission agreements (one with 浙江商会); two years of trips, visits and events (the 花街节
推介会 with the projects signed at it); many projects traced to a trip or event, with referrer claims
recognised by 发改局, some still pending and two projects with conflicting claims; the cadence norms
and a few months of self-reported recruiting time. Deterministic, built through the services."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.demo import outreach_activities as activities
from zhaoshang.demo.outreach_activities import company_of, name_of
from zhaoshang.org import services as org_services
from zhaoshang.org.models import Leader, Membership, Unit, User
from zhaoshang.org.principal import principal_for
from zhaoshang.org.standard import ensure_standard_kinds
from zhaoshang.outreach import services
from zhaoshang.outreach.models import Agreement, Contact

# (body, short name, office, region): speech 000's 县委牵头联系长三角招商分局、县政府…环渤海 ….
BODIES = [
    ("中共示范县委员会", "县委", "驻长三角招商分局", "yangtze"),
    ("示范县人民政府", "县政府", "驻环渤海招商分局", "bohai"),
    ("示范县人大常委会", "县人大", "驻泛珠三角招商分局", "pearl"),
    ("政协示范县委员会", "县政协", "驻成渝招商分局", "chengyu"),
]
# Where the 乡友企业家 are now: most in 杭州, 宁波, 深圳 and 上海.
BASES = (
    ["杭州"] * 5
    + ["宁波"] * 4
    + ["深圳"] * 4
    + ["上海"] * 4
    + ["苏州", "广州", "北京", "成都", "重庆", "温州"]
)
# The chambers by the region their members come from; three of the county's own people elsewhere.
CHAMBER_REGIONS = {
    "yangtze": "浙江 温州 台州 义乌 宁波 江苏 苏州 上海 安徽",
    "pearl": "福建 晋江 莆田 广东 潮汕 深圳",
    "bohai": "北京 天津 山东 河北",
    "chengyu": "四川 重庆",
    "other": "湖南 湖北 江西 河南",
}
CHAMBERS = [(f"{p}商会", region) for region, places in CHAMBER_REGIONS.items() for p in str.split(places)]
CHAMBERS += [("杭州示范商会", "yangtze"), ("上海示范商会", "yangtze"), ("深圳示范商会", "pearl")]
TRADES = "建材 食品工业 电子商务 物流 茶叶产业 中医药产业 机械制造 新能源产业 再生资源 纺织服装 旅游 建筑业"
ASSOCIATIONS = [f"示范县{t}{'行业' if len(t) == 2 else ''}协会" for t in str.split(TRADES)]
FIRMS = [
    ("agent", "上海华远招商咨询有限公司", "上海"),
    ("agent", "深圳中科产业服务有限公司", "深圳"),
    ("agent", "北京恒力投资顾问有限公司", "北京"),
    ("investor", "杭州瑞泰创业投资有限公司", "杭州"),
    ("investor", "深圳宏图产业投资基金管理有限公司", "深圳"),
    ("investor", "成都博达股权投资基金管理有限公司", "成都"),
]


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}"


def build_outreach(county: Unit, seed: int) -> int:
    rng = random.Random(seed)
    today = timezone.localdate()
    kinds = ensure_standard_kinds()
    units = {u.name: u for u in Unit.objects.filter(path__startswith=county.path).select_related("kind")}
    of_kind: dict[str, list[Unit]] = defaultdict(list)
    for u in sorted(units.values(), key=lambda u: u.path):
        of_kind[u.kind.code].append(u)
    teams, towns, parks = of_kind["team"], of_kind["town"], of_kind["park"]
    bureau = units["示范县招商局"]
    leaders = [
        x.user for x in Leader.objects.filter(unit=county).select_related("user").order_by("rank", "pk")
    ]
    for order, (name, short, office, region) in enumerate(BODIES):
        body = org_services.unit_create(
            by=SYSTEM, name=name, kind=kinds["leadership"], parent=county, short_name=short, sort_order=order
        )
        leader = leaders[[0, 1, 2, 4][order] % len(leaders)]
        services.office_link_set(SYSTEM, units[office], body=body, leader=leader, region=region)
    contacts = _contacts(rng, county, teams, towns, bureau, leaders)
    agreements = _agreements(rng, county, contacts, today)
    trips = activities.trips(rng, teams, towns, leaders, contacts, today)
    events = activities.events(rng, bureau, today)
    activities.origins(rng, trips, events, agreements, contacts, today)
    services.settings_save(SYSTEM, county, recognising_unit=units["示范县发展和改革局"])
    services.norms_save(
        SYSTEM,
        county,
        [
            {"subject": "team", "activity": "trip", "period": "week", "minimum": 1},
            {"subject": "town", "activity": "trip", "period": "month", "minimum": 1},
            {"subject": "leader", "activity": "trip", "period": "quarter", "minimum": 1},
            {"subject": "town", "activity": "time_share", "period": "month", "minimum": 80},
            {"subject": "department", "activity": "time_share", "period": "month", "minimum": 80},
        ],
    )
    _time_and_encounters(rng, county, contacts, today)
    activities.visits(rng, [*teams, *towns, *parks], leaders, today)
    return len(trips)


def _contacts(
    rng: random.Random, county: Unit, teams: list[Unit], towns: list[Unit], bureau: Unit, leaders: list[User]
) -> dict[str, list[Contact]]:
    """Chambers and associations kept by the teams and towns (the last two towns keep none), the
    home-town entrepreneurs kept by their home towns, and the agents, funds and decision makers."""
    found: dict[str, list[Contact]] = defaultdict(list)
    keepers = [*teams, *towns[:-2]]
    names: set[str] = set()

    def add(
        kind: str, name: str, keeper: Unit, linked: list[Unit] | None = None, **fields: object
    ) -> Contact:
        names.add(name)
        contact = services.contact_create(
            SYSTEM,
            kind=kind,
            name=name,
            keeper_unit=keeper,
            keeper_leader=rng.choice(leaders) if rng.random() < 0.25 else None,
            phone=_phone(rng),
            linked_units=linked or [],
            **fields,
        )
        found[kind].append(contact)
        return contact

    groups = [(n, "chamber", r) for n, r in CHAMBERS] + [(n, "association", "other") for n in ASSOCIATIONS]
    for i, (name, kind, region) in enumerate(groups):
        keeper = keepers[i % len(keepers)]
        base = name[:2] if name.endswith("示范商会") else "示范县"
        add(kind, name, keeper, [keeper], region=region, based_in=base, organisation=f"会长 {name_of(rng)}")
    for _ in range(150):
        name = name_of(rng)
        while name in names:
            name = name_of(rng)
        city, home = rng.choice(BASES), rng.choice(towns)
        industry = rng.choice(activities.INDUSTRIES)
        add(
            "hometown",
            name,
            home,
            home_town=home.name,
            based_in=city,
            region=activities.REGION_OF[city],
            industry=industry,
            organisation=f"{company_of(rng, city)} 董事长",
            note=f"{home.name}人，在{city}从事{industry}行业。",
        )
    for i, (kind, name, city) in enumerate(FIRMS):
        add(
            kind,
            name,
            bureau if i % 2 == 0 else teams[i % len(teams)],
            based_in=city,
            region=activities.REGION_OF[city],
        )
    for i in range(4):
        city = rng.choice(BASES)
        add(
            "decision_maker",
            f"{name_of(rng)}{'总' if i % 2 else '董'}",
            teams[i % len(teams)],
            based_in=city,
            region=activities.REGION_OF[city],
            organisation=f"{company_of(rng, city)} {'总经理' if i % 2 else '董事长'}",
        )
    return found


def _agreements(
    rng: random.Random, county: Unit, contacts: dict[str, list[Contact]], today: dt.date
) -> list[Agreement]:
    """三份委托招商协议: 浙江商会 (speech 000), 福建商会 and an agent."""
    by_name = {c.name: c for cs in contacts.values() for c in cs}
    found = []
    for back, name in ((640, "浙江商会"), (420, "福建商会"), (250, "上海华远招商咨询有限公司")):
        signed = today - dt.timedelta(days=back)
        found.append(
            services.agreement_create(
                SYSTEM,
                county,
                contact=by_name[name],
                title=f"示范县人民政府与{name}委托招商协议",
                signed_on=signed,
                starts_on=signed,
                ends_on=signed + dt.timedelta(days=3 * 365),
                scope_text="受托方在其联系的地区和行业内宣传推介示范县，引荐投资项目并协助洽谈签约。",
                reward_terms="引进项目实际到位资金每亿元奖励 10 万元；经县发改局认定为引资人后兑现。",
            )
        )
    return found


def _time_and_encounters(
    rng: random.Random, county: Unit, contacts: dict[str, list[Contact]], today: dt.date
) -> None:
    """Six months of self-reported recruiting time from the units with staff, and their calls on the
    contacts they keep."""
    staff: dict[int, User] = {}
    for m in (
        Membership.objects.filter(
            role__in=(Role.UNIT_STAFF, Role.COORDINATOR), unit__path__startswith=county.path
        )
        .select_related("user", "unit")
        .order_by("unit__path", "user__username")
    ):
        staff.setdefault(m.unit_id, m.user)
    month = today.replace(day=1)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=staff).select_related("kind")}
    heads = {pk: principal_for(user) for pk, user in staff.items()}
    for back in range(6, 0, -1):
        first = month
        for _ in range(back):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        for pk, head in heads.items():
            working = Decimal(rng.choice([21, 22, 23]))
            share = Decimal(rng.choice([60, 70, 75, 80, 85, 90])) / 100
            services.time_file(
                head,
                units[pk],
                first,
                working_days=working,
                recruiting_days=(working * share).quantize(Decimal("0.5")),
                note="外出拜访企业、接待客商考察",
            )
    kept = [c for cs in contacts.values() for c in cs if c.keeper_unit_id in staff]
    for c in kept[:40]:
        for _ in range(rng.randint(1, 2)):
            services.encounter_add(
                heads[c.keeper_unit_id],
                c,
                on=today - dt.timedelta(days=rng.randint(3, 300)),
                kind=rng.choice(["meeting", "call", "visit"]),
                unit=units[c.keeper_unit_id],
                summary=rng.choice(["通报县里新出台的招商政策", "了解企业扩产计划", "邀请参加花街节推介会"]),
            )
