"""The demo's pre-review committee (users of the departments speech 004 names), its latest meeting on the
projects now waiting for pre-review, and cohort requirements that run to dates after today."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.org import services as org_services
from zhaoshang.org.models import Unit, User
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import rulebooks
from zhaoshang.projects.services import committee

# (username, department, title): 发改局 convenes; land, environment, industry and investment sit in.
MEMBERS = [
    ("committee1", "示范县发展和改革局", "发改局局长（预审委员会主任）"),
    ("committee2", "示范县自然资源局", "自然资源局副局长"),
    ("committee3", "示范县生态环境局", "生态环境局副局长"),
    ("committee4", "示范县经济和信息化局", "经信局副局长"),
    ("committee5", "示范县招商局", "招商局局长"),
]


def build_committee(units: dict[str, Unit], names: list[str], password: str) -> list[User]:
    members = []
    for (username, unit, title), name in zip(MEMBERS, names, strict=True):
        user = org_services.user_create(
            by=SYSTEM, username=username, password=password, display_name=name, title=title
        )
        org_services.membership_add(by=SYSTEM, user=user, unit=units[unit], role=Role.UNIT_STAFF)
        members.append(user)
    return members


def build_meeting(convener: User, unit: Unit, members: list[User], rng: random.Random) -> int:
    """This week's meeting on every project waiting for pre-review; the first is decided, as the rules suggest."""
    by = principal_for(convener)
    pending = committee.pending_reviews(by)
    if not pending:
        return 0
    today = timezone.localdate()
    meeting = committee.meeting_create(
        by,
        unit=unit,
        on=max(today - dt.timedelta(days=2), max(r.submitted_on for r in pending)),
        members=members,
        reviews=pending,
        place="县政府三楼会议室",
        agenda="审议已提交预审的招商项目；听取各项目规则评分与一票否决情况；逐项表决。",
    )
    first = pending[0]
    decision = "reject" if first.vetoed else (first.suggestion or "pass")
    votes = {
        u.pk: ("reject" if decision == "reject" else rng.choice([decision, "pass"]), "") for u in members
    }
    committee.meeting_decide(
        by,
        meeting,
        first,
        decision=decision,
        notes=f"预审委员会 {len(members)} 人出席，逐项表决。",
        conditions="签约前补充能评、环评承诺" if decision == "conditional" else "",
        votes=votes,
    )
    return 1


def cohort_rules(county: Unit) -> None:
    """The county's cohort requirements for the signing years still under way, due after today."""
    year = timezone.localdate().year
    rules = [
        {
            "name": f"{year - 1} 年签约项目 {year + 1} 年 6 月底前全部开工",
            "signed_year": year - 1,
            "rank": None,
            "share": 1.0,
            "reach": "started",
            "by": f"{year + 1}-06-30",
        },
        {
            "name": f"{year} 年签约项目 {year + 1} 年底前开工一半",
            "signed_year": year,
            "rank": None,
            "share": 0.5,
            "reach": "started",
            "by": f"{year + 1}-12-31",
        },
        {
            "name": "三类 500 强项目全部开工",
            "signed_year": None,
            "rank": "any",
            "share": 1.0,
            "reach": "started",
            "by": f"{year + 1}-12-31",
        },
    ]
    rulebooks.rulebook_save(SYSTEM, county, "cohorts", {"rules": rules})
