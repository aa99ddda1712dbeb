"""The demo county 示范县: its organisation and one log-in per role. Deterministic, built through the services."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from zhaoshang.core import context, planner
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.demo.chains import build_chains
from zhaoshang.demo.committee import MEMBERS, build_committee, build_meeting, cohort_rules
from zhaoshang.demo.enterprises import build_enterprises
from zhaoshang.demo.evaluation import build_evaluation
from zhaoshang.demo.outreach import build_outreach
from zhaoshang.demo.projects import build_projects
from zhaoshang.demo.promotion import build_promotions
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.services import refresh_scale
from zhaoshang.org import services
from zhaoshang.org.models import Unit, UnitKind, User
from zhaoshang.org.standard import ensure_standard_kinds

SEED = 20260101
# Printed by `make run`; the demo command refuses to run outside demo mode.
DEMO_PASSWORD = "Zhaoshang@2026"  # noqa: S105
COUNTY_NAME = "示范县"

DEPARTMENTS = [
    ("示范县招商局", "招商局"),
    ("示范县发展和改革局", "发改局"),
    ("示范县经济和信息化局", "经信局"),
    ("示范县自然资源局", "自然资源局"),
    ("示范县生态环境局", "生态环境局"),
    ("示范县税务局", "税务局"),
    ("示范县财政局", "财政局"),
    ("示范县统计局", "统计局"),
    ("示范县住房和城乡建设局", "住建局"),
    ("示范县督查室", "督查室"),
]
TOWNS = ["城关镇", "青山镇", "河口镇", "石桥镇", "白沙镇", "龙泉乡", "东城街道", "西城街道"]
PARKS = [("示范县经济开发区", "开发区"), ("示范县高新技术产业园", "高新园")]
TEAMS = ["第一招商小分队", "第二招商小分队", "第三招商小分队", "第四招商小分队"]
OFFICES = ["驻长三角招商分局", "驻环渤海招商分局", "驻泛珠三角招商分局", "驻成渝招商分局"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    unit: str
    name: str
    title: str


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def demo_logins() -> list[DemoLogin]:
    """One log-in per role, plus a second town and a park so scoping can be tried by hand."""
    rng = random.Random(SEED)
    return [
        DemoLogin("leader", Role.LEADER, COUNTY_NAME, _name(rng), "县长"),
        DemoLogin("coordinator", Role.COORDINATOR, "示范县招商局", _name(rng), "招商局副局长"),
        DemoLogin("town", Role.UNIT_STAFF, "城关镇", _name(rng), "城关镇经济发展办主任"),
        DemoLogin("town2", Role.UNIT_STAFF, "青山镇", _name(rng), "青山镇招商专员"),
        DemoLogin("park", Role.UNIT_STAFF, "示范县经济开发区", _name(rng), "开发区招商科科长"),
        DemoLogin("enterprise", Role.ENTERPRISE, "城关镇", _name(rng), "企业联络员"),
        DemoLogin("inspector", Role.INSPECTOR, "示范县督查室", _name(rng), "督查室主任"),
        DemoLogin("admin", Role.ADMIN, COUNTY_NAME, _name(rng), "系统管理员"),
        DemoLogin("security", Role.SECURITY_ADMIN, COUNTY_NAME, _name(rng), "安全管理员"),
        DemoLogin("auditor", Role.AUDITOR, COUNTY_NAME, _name(rng), "审计员"),
    ]


def demo_exists() -> bool:
    return Unit.objects.filter(name=COUNTY_NAME, kind__code="county").exists()


def _unit(name: str, kind: UnitKind, parent: Unit | None, rng: random.Random, **extra: str | int) -> Unit:
    phone = f"0{rng.randint(510, 599)}-{rng.randint(2000000, 8999999)}"
    return services.unit_create(
        by=SYSTEM, name=name, kind=kind, parent=parent, contact_person=_name(rng), phone=phone, **extra
    )


@transaction.atomic
def build_demo_county(enterprises: bool = True) -> dict[str, int]:
    """Create the demo province, city and county with every unit and log-in. Call once on an empty database."""
    rng = random.Random(SEED)
    with context.acting(context.ActorContext(user_repr="演示数据生成器", channel="cli")):
        kinds = ensure_standard_kinds()
        province = _unit("示范省", kinds["province"], None, rng, region_code="990000")
        city = _unit("示范市", kinds["city"], province, rng, region_code="990100")
        county = _unit(
            COUNTY_NAME, kinds["county"], city, rng, region_code="990121", address="示范县人民路1号"
        )
        units = {COUNTY_NAME: county}
        for order, (name, short) in enumerate(DEPARTMENTS):
            units[name] = _unit(name, kinds["department"], county, rng, short_name=short, sort_order=order)
        bureau = units["示范县招商局"]
        for order, name in enumerate(TOWNS):
            units[name] = _unit(name, kinds["town"], county, rng, sort_order=order)
        for order, (name, short) in enumerate(PARKS):
            units[name] = _unit(name, kinds["park"], county, rng, short_name=short, sort_order=order)
        for order, name in enumerate(TEAMS):
            units[name] = _unit(name, kinds["team"], bureau, rng, sort_order=order)
        for order, name in enumerate(OFFICES):
            units[name] = _unit(name, kinds["office"], bureau, rng, sort_order=order)

        for login in demo_logins():
            user = services.user_create(
                by=SYSTEM,
                username=login.username,
                password=DEMO_PASSWORD,
                display_name=login.name,
                title=login.title,
                phone=f"13{rng.randint(100000000, 999999999)}",
            )
            services.membership_add(by=SYSTEM, user=user, unit=units[login.unit], role=login.role)
            if login.role == Role.LEADER:
                services.leader_set(by=SYSTEM, user=user, unit=county, title=login.title, rank=2)

        # The rest of the county leadership: responsible leaders for projects and chains.
        for rank, title in enumerate(["县委书记", "常务副县长", "副县长（分管工业）", "副县长（分管招商）"]):
            username = f"leader{rank + 1}"
            user = services.user_create(
                by=SYSTEM, username=username, password=DEMO_PASSWORD, display_name=_name(rng), title=title
            )
            services.membership_add(by=SYSTEM, user=user, unit=county, role=Role.LEADER)
            services.leader_set(
                by=SYSTEM, user=user, unit=county, title=title, rank=1 if rank == 0 else rank + 2
            )
        if not enterprises:  # browser tests of the organisation need no registry
            return {
                "units": Unit.objects.count(),
                "users": User.objects.count(),
                "enterprises": 0,
                "years": 0,
            }
        town_units = [units[name] for name in TOWNS]
        park_units = [units[name] for name, _short in PARKS]
        counts = build_enterprises(SEED + 1, town_units, park_units)
        refresh_scale()
        # A bulk load: without fresh statistics PostgreSQL may plan the evaluation's reads as nested
        # loops over tables it believes empty (minutes instead of milliseconds).
        planner.refresh_statistics()
        # The demo enterprise log-in speaks for one enterprise of 城关镇.
        own = Enterprise.objects.filter(town=units["城关镇"]).order_by("name").first()
        if own is not None:
            own.users.add(User.objects.get(username="enterprise"))
        counts |= build_evaluation(county, SEED + 2)
        teams = [units[name] for name in TEAMS]
        committee = build_committee(units, [_name(rng) for _ in MEMBERS], DEMO_PASSWORD)
        counts["projects"] = build_projects(
            town_units, park_units, [bureau, *teams], 150, SEED + 3, committee=[str(u) for u in committee]
        )
        counts["meetings"] = build_meeting(
            User.objects.get(username="coordinator"),
            units["示范县发展和改革局"],
            committee,
            random.Random(SEED + 5),
        )
        cohort_rules(county)
        planner.refresh_statistics()  # the projects, for the chains' and outreach's reads
        planners = [
            bureau,
            units["示范县发展和改革局"],
            units["示范县经济和信息化局"],
            *park_units,
            *town_units,
        ]
        counts["promotions"] = build_promotions(planners, SEED + 4)
        counts["chain_targets"] = build_chains(county, SEED + 6)
        counts["outreach_trips"] = build_outreach(county, SEED + 7)
    return {"units": Unit.objects.count(), "users": User.objects.count(), **counts}
