"""The demo keeps its alerts meaningful: a minority of live projects needs attention, by days or months
(not thousands of days); cohort requirements run to dates after today; attachments are real PDFs."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from zhaoshang.org.principal import principal_for
from zhaoshang.projects import rulebooks, selectors
from zhaoshang.projects.committee import DEFAULT_MAJOR_INVESTMENT
from zhaoshang.projects.engines.lifecycle import LIVE_STAGES
from zhaoshang.projects.models import Evidence, Project, Rulebook

pytestmark = pytest.mark.django_db


def test_alerts_are_a_realistic_minority(demo_county: Any) -> None:
    found = selectors.alerting(principal_for(demo_county.user("coordinator")), limit=1000)
    live = Project.objects.filter(stage__in=[s.value for s in LIVE_STAGES]).count()
    assert live >= 60
    assert 0 < len(found) <= live * 0.3, f"{len(found)} of {live} live projects alert"
    longest = max(a.days for _, alerts in found for a in alerts)
    assert longest < 1000, f"an alert of {longest} days"


def test_the_demo_has_projects_of_this_year(demo_county: Any) -> None:
    year = timezone.localdate().year
    assert Project.objects.filter(signed_on__year=year).exists()  # the home page's year has signings


def test_cohort_rules_run_to_dates_after_today(demo_county: Any) -> None:
    book = Rulebook.objects.get(kind="cohorts", unit__name="示范县")
    today = timezone.localdate()
    dates = [dt.date.fromisoformat(rule["by"]) for rule in book.content["rules"]]
    assert dates and all(d > today for d in dates)
    assert not rulebooks.problems("cohorts", book.content)


def test_attachments_are_real_small_pdfs(demo_county: Any) -> None:
    sample = list(Evidence.objects.order_by("pk")[:50])
    assert sample
    for item in sample:
        data = bytes(item.content)
        assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
        assert item.size == len(data) < 4000
        # the cross-reference table points at each object
        xref = int(re.search(rb"startxref\n(\d+)", data).group(1))
        assert data[xref:].startswith(b"xref")
        for offset in re.findall(rb"(\d{10}) 00000 n", data):
            assert re.match(rb"\d+ 0 obj", data[int(offset) :])


def test_major_projects_have_a_task_force_and_pre_work(demo_county: Any) -> None:
    major = Project.objects.filter(planned_investment__gte=DEFAULT_MAJOR_INVESTMENT)
    assert major.exists()
    for project in major[:10]:
        assert project.task_force.exists()
        assert project.pre_work.count() == 5
