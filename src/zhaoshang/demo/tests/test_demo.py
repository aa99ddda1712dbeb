"""The demo county follows speech 000_688ab6f71737fa4a.txt, and the province scale builds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from zhaoshang.core import audit, industries, uscc
from zhaoshang.demo.county import build_demo_county
from zhaoshang.demo.enterprises import SECTORS
from zhaoshang.demo.province import build_province
from zhaoshang.demo.province_projects import build_province_projects
from zhaoshang.demo.tests.fingerprint import demo_fingerprint as fingerprint
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear
from zhaoshang.org.models import User
from zhaoshang.projects.models import FundArrival, Project

pytestmark = pytest.mark.django_db


def test_the_2020_totals_are_the_speechs(demo_county: object) -> None:
    year = EnterpriseYear.objects.filter(year=2020)
    assert year.filter(above_scale=True).count() == 90 and Enterprise.objects.count() == 490
    assert year.aggregate(s=Sum("output_value"))["s"] == Decimal("1274300")  # 127.43 亿元
    above = year.filter(above_scale=True).aggregate(
        output=Sum("output_value"), revenue=Sum("revenue"), tax=Sum("tax"), n=Count("id")
    )
    assert above == {
        "output": Decimal("1116100"),
        "revenue": Decimal("1098000"),
        "tax": Decimal("24600"),
        "n": 90,
    }
    assert sorted(set(EnterpriseYear.objects.values_list("year", flat=True))) == list(range(2019, 2026))
    # Every demo code is a valid code and every industry code is in the standard.
    assert all(uscc.check(code).ok for code in Enterprise.objects.values_list("uscc", flat=True))
    assert all(industries.get(code) for _chain, codes, *_ in SECTORS for code in codes)
    # Some small firms report no energy figure: missing, not zero.
    assert EnterpriseYear.objects.filter(energy_tce__isnull=True).exists()
    assert audit.verify().ok


def test_small_firms_enter_and_large_ones_leave_the_above_scale_list(demo_county: object) -> None:
    """入规 and 退规 as the statistics bureau sees them: 2025 nets 6 more (speech 003)."""
    from zhaoshang.core.permissions import SYSTEM
    from zhaoshang.enterprises.selectors import scale_summary

    summary = scale_summary(SYSTEM, 2025)
    assert (summary.above, summary.entered, summary.exited, summary.net) == (99, 8, 2, 6)
    assert scale_summary(SYSTEM, 2024).sentence.startswith(
        "2024 年规上企业 93 户，较 2023 年净增 3 户（入规 5 户、退规 2 户）"
    )
    assert Enterprise.objects.filter(above_scale=True).count() == 99  # the latest year's status


def test_the_demo_enterprise_login_speaks_for_one_enterprise(demo_county: object) -> None:
    assert Enterprise.objects.filter(users__username="enterprise").count() == 1


def test_the_province_scale_builds_in_bulk() -> None:
    counts = build_province(enterprises=300, counties=10)
    assert counts == {"enterprises": 300, "years": 1500}
    assert EnterpriseYear.objects.count() == 1500


def test_the_province_projects_hold_together() -> None:
    """Dates in order, funds in place equal to the arrivals, the load test's people able to log in."""
    build_province(enterprises=200, counties=10)
    counts = build_province_projects(per_county=40, people_counties=2, password="Load-test-2026!x")
    assert counts["projects"] == 400 and counts["people"] == 8
    arrived = dict(
        FundArrival.objects.values("project").annotate(total=Sum("amount")).values_list("project", "total")
    )
    for p in Project.objects.all():
        assert p.funds_in_place == arrived.get(p.pk, 0)
        if p.signed_on:
            assert p.contract_amount and p.promised_start and p.promised_start > p.signed_on
            assert all(d is None or d >= p.signed_on for d in (p.start_date, p.production_date))
        assert p.stage_since <= timezone.localdate()
    assert {p.stage for p in Project.objects.all()} >= {"lead", "signed", "started", "producing", "dropped"}
    assert User.objects.get(username="load001-town1").check_password("Load-test-2026!x")
    assert audit.verify().ok


def test_the_demo_is_deterministic(demo_fingerprint: dict) -> None:
    """A second build on an empty database gives the same county, row for row (ids and clocks aside)."""
    build_demo_county()
    assert fingerprint() == demo_fingerprint
    assert len(demo_fingerprint["enterprises.EnterpriseYear"]) == EnterpriseYear.objects.count() > 0
