"""The data a load run works on, and afterwards the count of what it wrote (used by load/run.py).

`build.py county`: the demo county (its demo log-ins). `build.py province`: 基准省 at the province's
scale with its projects, a published 亩均 ranking and the load test's people. Either prints one JSON
line: the accounts, their password and the ranking page. `build.py count MARKER`: how many of the run's
follow-ups and funds in place are stored, as JSON.
"""

from __future__ import annotations

import copy
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
# The throw-away database of a load run only.
PASSWORD = "Load-test-2026!x"  # noqa: S105


def _county() -> dict[str, object]:
    from django.core.management import call_command

    from zhaoshang.demo.county import DEMO_PASSWORD, demo_logins
    from zhaoshang.evaluation.models import Evaluation

    call_command("demo", "--quiet")
    users = [f"{d.username}:{d.role.value}" for d in demo_logins() if d.role.value != "enterprise"]
    users += _county_staff(DEMO_PASSWORD)
    run = Evaluation.objects.filter(status=Evaluation.Status.PUBLISHED).order_by("-pk").first()
    return {
        "users": users,
        "password": DEMO_PASSWORD,
        "ranking": f"/evaluation/runs/{run.pk}/" if run else "",
    }


def _county_staff(password: str, n: int = 42) -> list[str]:
    """More people of the demo county than its demo log-ins, so that 50 simulated people stay within
    the limit of concurrent sessions per account (ZHAOSHANG_MAX_SESSIONS): town staff of every town,
    county coordinators and leaders."""
    from zhaoshang.core.permissions import SYSTEM
    from zhaoshang.demo.county import COUNTY_NAME
    from zhaoshang.org import services
    from zhaoshang.org.models import Unit

    county = Unit.objects.get(name=COUNTY_NAME, kind__code="county")
    towns = list(Unit.objects.filter(parent=county, kind__code="town").order_by("pk"))
    plan = [("unit_staff", t) for t in towns] + [("coordinator", county), ("leader", county)]
    made = []
    for i in range(n):
        role, unit = plan[i % len(plan)]
        username = f"load{i + 1:02d}"
        user = services.user_create(by=SYSTEM, username=username, password=password, title="压测用户")
        services.membership_add(by=SYSTEM, user=user, unit=unit, role=role)
        made.append(f"{username}:{role}")
    return made


def _province(enterprises: int) -> dict[str, object]:
    from zhaoshang.core import context
    from zhaoshang.core.permissions import SYSTEM
    from zhaoshang.demo.province import PROVINCE, build_province, province_exists
    from zhaoshang.demo.province_projects import build_province_projects
    from zhaoshang.evaluation import runner, services
    from zhaoshang.org.models import Membership, Unit

    with context.acting(context.ActorContext(user_repr="压测数据生成器", channel="cli")):
        if not province_exists():
            build_province(enterprises=enterprises)
            build_province_projects(password=PASSWORD)
            definition = copy.deepcopy(services.shipped_definitions()["above_scale"])
            definition["covers"], definition["scope"]["min_land_below"] = "all", 0
            province = Unit.objects.get(name=PROVINCE, kind__code="province")
            scheme = services.scheme_create(
                SYSTEM, name="压测评价", year=2025, unit=province, definition=definition
            )
            run = runner.run_evaluation(SYSTEM, scheme)
            services.run_publish(SYSTEM, run, early_reason="压测数据，无需公示")
    from zhaoshang.evaluation.models import Evaluation

    run = Evaluation.objects.filter(status=Evaluation.Status.PUBLISHED).order_by("-pk").first()
    people = Membership.objects.filter(user__username__startswith="load").order_by("user__username")
    users = [f"{m.user.username}:{m.role}" for m in people.select_related("user")]
    return {"users": users, "password": PASSWORD, "ranking": f"/evaluation/runs/{run.pk}/" if run else ""}


def _count(marker: str) -> dict[str, int]:
    from zhaoshang.projects.models import FollowUp, FundArrival

    return {
        "follow_up": FollowUp.objects.filter(what__startswith=marker).count(),
        "fund": FundArrival.objects.filter(note=marker).count(),
    }


def main(argv: list[str]) -> int:
    import django

    django.setup()
    if argv[0] == "count":
        print(json.dumps(_count(argv[1])))
    elif argv[0] == "province":
        print(json.dumps(_province(int(os.environ.get("LOAD_ENTERPRISES", "200000")))))
    else:
        print(json.dumps(_county()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
