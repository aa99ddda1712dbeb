"""The list pages with 50,000 projects loaded: the query count stays bounded (no query per row)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhaoshang.projects.engines.lifecycle import PATH
from zhaoshang.projects.models import FollowUp, FundArrival, Project

COUNT = 50_000


@pytest.fixture
def many_projects(county: Any) -> None:
    rng = random.Random(7)
    today = timezone.localdate()
    towns = [county.town_a, county.town_b]
    rows = []
    for n in range(COUNT):
        stage = rng.choice(PATH)
        signed = today - dt.timedelta(days=rng.randint(30, 2000)) if PATH.index(stage) >= 3 else None
        rows.append(
            Project(
                name=f"规模测试项目{n:05d}",
                investor_name="测试投资有限公司",
                channel="team",
                town=towns[n % 2],
                lead_unit=county.bureau,
                responsible_leader=county.leader,
                stage=stage.value,
                stage_since=today - dt.timedelta(days=rng.randint(0, 400)),
                signed_on=signed,
                contract_amount=Decimal(rng.randint(1000, 90000)) if signed else None,
                land_area_mu=Decimal(rng.randint(20, 120)) if PATH.index(stage) >= 4 else None,
                start_date=signed + dt.timedelta(days=90) if signed and PATH.index(stage) >= 5 else None,
                promise={"start": (signed + dt.timedelta(days=60)).isoformat()} if signed else {},
                registered_capital=Decimal(5000),
                funds_in_place=Decimal(0),
            )
        )
    Project.objects.bulk_create(rows, batch_size=5000)
    ids = list(Project.objects.values_list("pk", flat=True)[:5000])
    FollowUp.objects.bulk_create(
        [FollowUp(project_id=pk, on=today, what="跟进", next_date=today - dt.timedelta(days=3)) for pk in ids]
    )
    signed_ids = list(Project.objects.filter(signed_on__isnull=False).values_list("pk", "signed_on")[:5000])
    FundArrival.objects.bulk_create(
        [
            FundArrival(project_id=pk, on=on, amount=Decimal(500), source="in_province", use="fixed_assets")
            for pk, on in signed_ids
        ]
    )


@pytest.mark.slow
def test_list_pages_stay_bounded_with_fifty_thousand_projects(
    client: Any, county: Any, many_projects: None
) -> None:
    assert Project.objects.count() == COUNT
    client.force_login(county.coordinator)
    urls = [
        "/projects/",
        "/projects/?page=400",
        "/projects/?view=board",
        "/projects/?overdue=on",
        f"/projects/?stage=started&town={county.town_a.pk}",
        "/projects/alerts/",
        f"/projects/figures/?year={timezone.localdate().year - 1}",
        "/projects/cohorts/",
        "/projects/library/",
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert len(queries) <= (16 + 7 if "board" in url else 16), (url, len(queries))  # a query per stage
    listed = client.get("/projects/?overdue=on").context["rows"]
    assert listed and all(alerts for _project, alerts in listed)  # the SQL filter agrees with the alerts
