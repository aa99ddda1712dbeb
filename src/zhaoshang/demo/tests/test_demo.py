"""The demo county follows speech 000_688ab6f71737fa4a.txt, and the province scale builds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from zhaoshang.core import audit, industries, uscc
from zhaoshang.demo.county import build_demo_county
from zhaoshang.demo.enterprises import SECTORS
from zhaoshang.demo.province import build_province
from zhaoshang.demo.tests.fingerprint import demo_fingerprint as fingerprint
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear

pytestmark = pytest.mark.django_db


def test_the_2020_totals_are_the_speechs(demo_county: object) -> None:
    assert Enterprise.objects.filter(above_scale=True).count() == 90
    assert Enterprise.objects.filter(above_scale=False).count() == 400
    year = EnterpriseYear.objects.filter(year=2020)
    assert year.aggregate(s=Sum("output_value"))["s"] == Decimal("1274300")  # 127.43 亿元
    above = year.filter(enterprise__above_scale=True).aggregate(
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


def test_the_demo_enterprise_login_speaks_for_one_enterprise(demo_county: object) -> None:
    assert Enterprise.objects.filter(users__username="enterprise").count() == 1


def test_the_province_scale_builds_in_bulk() -> None:
    counts = build_province(enterprises=300, counties=10)
    assert counts == {"enterprises": 300, "years": 1500}
    assert EnterpriseYear.objects.count() == 1500


def test_the_demo_is_deterministic(demo_fingerprint: dict) -> None:
    """A second build on an empty database gives the same county, row for row (ids and clocks aside)."""
    build_demo_county()
    assert fingerprint() == demo_fingerprint
    assert len(demo_fingerprint["enterprises.EnterpriseYear"]) == EnterpriseYear.objects.count() > 0
