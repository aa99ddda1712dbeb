"""The home page's figures at a glance, per role and unit: the year's signings and funds against last
year, projects by stage, this month's moves, the 亩均 grades and the alerts, each linking to its records."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from zhaoshang.dashboard import tiles
from zhaoshang.evaluation.models import Evaluation, EvaluationResult
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import selectors
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db


def _stage_counts(user: Any) -> dict[str, int]:
    rows = Project.objects.visible_to(principal_for(user)).order_by().values("stage").annotate(n=Count("pk"))
    return {r["stage"]: r["n"] for r in rows}


@pytest.mark.parametrize("username", ["leader", "coordinator", "town", "park"])
def test_each_role_sees_its_units_figures(client: Any, demo_county: Any, username: str) -> None:
    user = demo_county.user(username)
    client.force_login(user)
    response = client.get("/")
    body = response.content.decode()
    figures = response.context["figures"]
    assert 'id="home-figures"' in body
    counted = {s["url"].split("stage=")[1]: s["count"] for s in figures["stages"]}
    assert {k: v for k, v in counted.items() if v} == _stage_counts(user)
    for tile in ("tile-signed", "tile-funds", "tile-alerts", "tile-grades", "tile-stages", "tile-moves"):
        assert f'id="{tile}"' in body
    # Chinese figures: amounts in 万元/亿元, never a raw decimal or None.
    assert re.search(r"\d[\d,.]* (万元|亿元)", body)
    assert "None" not in body and not re.search(r"\d+\.0000", body)


def test_a_towns_figures_are_its_own(client: Any, demo_county: Any) -> None:
    town, county = demo_county.user("town"), demo_county.user("coordinator")
    mine = tiles.home_figures(principal_for(town))
    all_ = tiles.home_figures(principal_for(county))
    assert sum(s["count"] for s in mine["stages"]) < sum(s["count"] for s in all_["stages"])
    assert mine["signed"]["count"] <= all_["signed"]["count"]
    assert tiles.scope_key(principal_for(town)) != tiles.scope_key(principal_for(demo_county.user("town2")))


def test_the_tiles_link_to_their_records(client: Any, demo_county: Any) -> None:
    client.force_login(demo_county.user("coordinator"))
    figures = client.get("/").context["figures"]
    today = timezone.localdate()
    signed = client.get(figures["signed"]["url"])
    rows = [p for p, _ in signed.context["rows"]]
    assert rows and all(p.signed_on.year == today.year for p in rows)
    assert figures["signed"]["count"] == Project.objects.filter(signed_on__year=today.year).count()
    stage = next(s for s in figures["stages"] if s["count"])
    listed = client.get(stage["url"])
    assert listed.status_code == 200 and all(
        p.get_stage_display() == stage["label"] for p, _ in listed.context["rows"]
    )
    assert figures["alerts"]["url"] == "/projects/alerts/"
    index = selectors.tracking_index(principal_for(demo_county.user("coordinator")))
    assert figures["alerts"]["count"] == Project.objects.filter(selectors.alerting_for(index, today)).count()
    assert client.get(figures["funds"]["url"]).status_code == 200


def test_the_grades_are_the_latest_published_runs(client: Any, demo_county: Any) -> None:
    client.force_login(demo_county.user("coordinator"))
    figures = client.get("/").context["figures"]
    run = Evaluation.objects.filter(status="published").order_by("-year", "-published_at", "-pk").first()
    assert run is not None and figures["grades"]["url"] == f"/evaluation/runs/{run.pk}/"
    counts = {g["grade"]: g["count"] for g in figures["grades"]["grades"]}
    expected = dict(EvaluationResult.objects.filter(run=run).values_list("grade").annotate(n=Count("pk")))
    assert {k: v for k, v in counts.items() if v} == {k: v for k, v in expected.items() if k}
    graded = client.get(figures["grades"]["grades"][0]["url"])
    assert graded.status_code == 200


def test_the_figures_are_cached_per_scope_and_bounded(
    client: Any, demo_county: Any, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(demo_county.user("coordinator"))
    principal = principal_for(demo_county.user("coordinator"))
    cache.clear()
    with django_assert_max_num_queries(10):  # one or two per tile
        tiles.home_figures(principal)
    with django_assert_num_queries(0):
        tiles.home_figures(principal)
    cache.clear()
    with django_assert_max_num_queries(40):
        assert client.get("/").status_code == 200


def test_signings_and_funds_against_the_same_period_last_year(county: Any) -> None:
    from zhaoshang.projects.tests.helpers import signed_project

    today = timezone.localdate()
    now = signed_project(county, name="今年签约项目")
    before = signed_project(county, name="去年签约项目")
    a_year_ago = tiles._a_year_before(today)
    Project.objects.filter(pk=before.pk).update(signed_on=a_year_ago, contract_amount=Decimal(14000))
    Project.objects.filter(pk=now.pk).update(signed_on=today)
    later = today + dt.timedelta(days=1)
    if later.year == today.year:  # signed after today last year: not in the same period
        signed_project(county, name="去年晚些签约")
        Project.objects.filter(name="去年晚些签约").update(signed_on=tiles._a_year_before(later))
    figures = tiles.signed(principal_for(county.coordinator), today)
    assert figures["count"] == 1 and figures["amount"] == Decimal(28000)
    assert figures["count_last"] == 1 and figures["amount_last"] == Decimal(14000)
    assert figures["change"] == Decimal(100)
