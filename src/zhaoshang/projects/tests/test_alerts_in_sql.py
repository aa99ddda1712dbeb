"""The alert condition in SQL flags exactly the projects the alert engine flags, each under its own
rulebook, and the alert list and home tile read one page of rows, most overdue first."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhaoshang.org.principal import principal_for
from zhaoshang.projects import rulebooks, selectors
from zhaoshang.projects.engines.lifecycle import Stage
from zhaoshang.projects.models import FollowUp, Project

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _rules(stale_days: int, lead: int) -> dict[str, Any]:
    content = rulebooks.shipped("tracking")
    content["stale_days"] = stale_days
    content["stage_limits"] = dict(content["stage_limits"], lead=lead)
    return content


def _projects(county: Any, n: int, seed: int) -> list[Project]:
    rng = random.Random(seed)
    made = []
    for i in range(n):
        since = TODAY - dt.timedelta(days=rng.randint(0, 400))
        p = Project.objects.create(
            name=f"项目{i}",
            investor_name="投资方",
            channel="investor_referral",
            town=rng.choice([county.town_a, county.town_b]),
            park=county.village_a if rng.random() < 0.4 else None,
            lead_unit=county.bureau,
            stage=rng.choice([s.value for s in Stage]),
            stage_since=since,
        )
        for _ in range(rng.randint(0, 2)):
            on = since + dt.timedelta(days=rng.randint(0, 200))
            next_date = on + dt.timedelta(days=rng.randint(0, 60)) if rng.random() < 0.7 else None
            FollowUp.objects.create(project=p, on=min(on, TODAY), what="跟进", next_date=next_date)
        made.append(p)
    return made


def test_the_sql_condition_flags_exactly_what_the_engine_flags_under_each_rulebook(county: Any) -> None:
    coordinator = principal_for(county.coordinator)
    rulebooks.rulebook_save(coordinator, county.county, "tracking", _rules(20, 60))
    rulebooks.rulebook_save(coordinator, county.village_a, "tracking", _rules(45, 200))  # a looser park
    _projects(county, 120, seed=4754)
    for who in (county.coordinator, county.staff_a, county.leader):
        principal = principal_for(who)
        index = selectors.tracking_index(principal)
        seen = selectors.projects(principal, {})
        flagged = set(seen.filter(selectors.alerting_for(index, TODAY)).values_list("pk", flat=True))
        engine = {p.pk for p in seen if selectors.alerts(p, TODAY, rules=index.alert_rules(p))}
        assert flagged == engine and engine, who


def test_the_alert_list_is_most_overdue_first_and_reads_one_page(client: Any, county: Any) -> None:
    _projects(county, 200, seed=2026)
    principal = principal_for(county.coordinator)
    found = selectors.alerting(principal, limit=500)
    assert len(found) > 50

    def days(rows: list[Any]) -> list[int]:
        return [max(a.days for a in alerts) for _, alerts in rows]

    # The home tile's ten, read with LIMIT 10, are the ten most overdue of them all.
    assert days(selectors.alerting(principal, limit=10)) == days(found)[:10]
    client.force_login(county.coordinator)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/projects/alerts/")
    assert page.status_code == 200
    shown = [p.pk for p, _ in page.context["page"].object_list]
    assert shown == [p.pk for p, _ in found[:50]]
    assert len(queries) <= 16  # the page's rows and a capped count, not every alerting project
