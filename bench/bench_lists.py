"""List pages as one user sees them, at three sizes of the province: is a page flat as data grows?

For each size (10,000 / 50,000 / 200,000 enterprises with five years of figures, and 25 / 125 / 500
projects per county of the 100, with their follow-ups and funds) the database is emptied and 基准省
rebuilt with the demo generator, and a published 亩均 ranking of every enterprise is stored. Then
three people ask for each list page through Django's test client (in process: the page's whole
work, no network and no load): a town's staff, a county coordinator and the province coordinator.
Each page is asked once to warm up, then REQUESTS times; the figure is the 95th percentile (and the
median). Goal: at most 200 ms for every list page, the same at 200,000 as at 10,000 enterprises.
"""

from __future__ import annotations

import copy
import os
import statistics
import sys
import time

from django.core.management import call_command
from django.test import Client

from zhaoshang.core import context
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.demo.province import PROVINCE, build_province
from zhaoshang.demo.province_projects import build_province_projects
from zhaoshang.evaluation import runner, services
from zhaoshang.org import services as org_services
from zhaoshang.org.models import Unit, User

NAME = "list_pages"
SIZES = tuple(int(s) for s in os.environ.get("BENCH_LIST_SIZES", "10000,50000,200000").split(","))
REQUESTS = int(os.environ.get("BENCH_LIST_REQUESTS", "15"))
GOAL_MS = 200
PASSWORD = "Bench-lists-2026!x"  # noqa: S105 (a throw-away benchmark database)
ACTOR = context.ActorContext(user_repr="基准测试", channel="cli")
PAGES = {
    "enterprise_list": "/enterprises/",
    "enterprise_page40": "/enterprises/?page=40",
    "enterprise_search": "/enterprises/?q=有限公司&scale=above",
    "project_list": "/projects/",
    "project_overdue": "/projects/?overdue=on",
    "project_alerts": "/projects/alerts/",
    "project_board": "/projects/?view=board",
    "home": "/",
    "ranking_page20": "{ranking}?page=20",
}
PEOPLE = {"town": "load001-town1", "county": "load001-coord", "province": "bench-province"}


def _build(enterprises: int) -> tuple[str, float]:
    start = time.perf_counter()
    with context.acting(ACTOR):
        build_province(enterprises=enterprises)
        build_province_projects(per_county=max(1, enterprises // 400), people_counties=1, password=PASSWORD)
        province = Unit.objects.get(name=PROVINCE, kind__code="province")
        user = org_services.user_create(
            by=SYSTEM, username=PEOPLE["province"], password=PASSWORD, title="基准"
        )
        org_services.membership_add(by=SYSTEM, user=user, unit=province, role=Role.COORDINATOR)
        definition = copy.deepcopy(services.shipped_definitions()["above_scale"])
        definition["covers"], definition["scope"]["min_land_below"] = "all", 0
        scheme = services.scheme_create(
            SYSTEM, name="基准排名", year=2025, unit=province, definition=definition
        )
        run = runner.run_evaluation(SYSTEM, scheme)
        services.run_publish(SYSTEM, run, early_reason="基准测试数据，无需公示")
    return f"/evaluation/runs/{run.pk}/", time.perf_counter() - start


def _time_page(client: Client, url: str) -> dict[str, float]:
    response = client.get(url)  # warm-up: the first request fills caches as any earlier visitor would
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[18]
    return {"p95": p95, "median": statistics.median(samples)}


def run() -> dict[str, float | int | str]:
    out: dict[str, float | int | str] = {}
    for n, size in enumerate(SIZES):
        if n:
            call_command("flush", "--noinput", verbosity=0)
        ranking, built = _build(size)
        out[f"build_{size}_seconds"] = round(built, 1)
        worst = 0.0
        for who, username in PEOPLE.items():
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(User.objects.get(username=username))
            for page, url in PAGES.items():
                timing = _time_page(client, url.format(ranking=ranking))
                out[f"{who}_{page}_{size}_p95_ms"] = round(timing["p95"])
                worst = max(worst, timing["p95"])
                print(
                    f"  {size} {who} {page}: p95 {timing['p95']:.0f} ms, median {timing['median']:.0f} ms",
                    file=sys.stderr,
                )
        out[f"worst_p95_{size}_ms"] = round(worst)
    first, last = SIZES[0], SIZES[-1]
    growth = [
        out[f"{who}_{page}_{last}_p95_ms"] / max(1, out[f"{who}_{page}_{first}_p95_ms"])  # type: ignore[operator]
        for who in PEOPLE
        for page in PAGES
    ]
    out["largest_growth_ratio"] = round(max(growth), 1)
    out["goal_p95_ms"] = GOAL_MS
    out["goal_met"] = "yes" if out[f"worst_p95_{last}_ms"] <= GOAL_MS else "no"  # type: ignore[operator]
    out["requests_per_page"] = REQUESTS
    out["how"] = "Django test client in process, one user at a time, after one warm-up request"
    return out
