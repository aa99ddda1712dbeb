"""规上 kept per year (入规, 退规), and the counts the speeches quote answered from it."""

from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps

from zhaoshang.enterprises import selectors, services
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear
from zhaoshang.enterprises.tests.factories import EnterpriseFactory, EnterpriseYearFactory
from zhaoshang.org.principal import principal_for

pytestmark = pytest.mark.django_db


def _firm(town: Any, name: str, **revenues: Any) -> Enterprise:
    e = EnterpriseFactory(name=name, town=town)
    for key, revenue in revenues.items():
        EnterpriseYearFactory(
            enterprise=e, year=int(key[1:]), revenue=None if revenue is None else Decimal(revenue)
        )
    return e


def test_each_year_keeps_its_own_status_and_the_enterprise_follows_the_latest(county: Any) -> None:
    staff = principal_for(county.staff_a)
    e = EnterpriseFactory(town=county.town_a)
    services.year_save(by=staff, enterprise=e, year=2023, data={"revenue": Decimal("1500")})
    services.year_save(by=staff, enterprise=e, year=2024, data={"revenue": Decimal("2000")})
    services.year_save(by=staff, enterprise=e, year=2025, data={"tax": Decimal("10")})
    status = dict(EnterpriseYear.objects.filter(enterprise=e).values_list("year", "above_scale"))
    assert status == {2023: False, 2024: True, 2025: None}  # no revenue in 2025: not known
    assert Enterprise.objects.get(pk=e.pk).above_scale  # 2024, the latest year with a status
    # The statistics bureau decided 2025 below scale: that year's override wins over the revenue.
    services.year_save(
        by=staff,
        enterprise=e,
        year=2025,
        data={"revenue": Decimal("2300"), "scale_override": "below"},
        reason="统计局认定",
    )
    assert EnterpriseYear.objects.get(enterprise=e, year=2025).above_scale is False
    assert not Enterprise.objects.get(pk=e.pk).above_scale


def test_the_migration_fills_the_status_of_existing_years(county: Any) -> None:
    e = _firm(county.town_a, "老企业", y2024="2500", y2025="1999.99")
    EnterpriseYear.objects.filter(enterprise=e).update(above_scale=None)
    migration = importlib.import_module("zhaoshang.enterprises.migrations.0010_year_withdrawal_and_scale")
    migration.fill_year_scale(apps, None)
    status = dict(EnterpriseYear.objects.filter(enterprise=e).values_list("year", "above_scale"))
    assert status == {2024: True, 2025: False}


@pytest.fixture
def scaled(county: Any) -> dict[str, Enterprise]:
    a = county.town_a
    firms = {
        "stays": _firm(a, "一直规上", y2024="3000", y2025="3500"),
        "enters": _firm(a, "当年入规", y2024="1800", y2025="2400"),
        "new": _firm(a, "新投产入规", y2025="12000"),
        "leaves": _firm(a, "当年退规", y2024="2100", y2025="1500"),
        "gone": _firm(a, "迁出退规", y2024="15000"),
        "small": _firm(a, "一直规下", y2024="500", y2025="600"),
        "other_town": _firm(county.town_b, "乙镇规上", y2024="9000", y2025="11000"),
    }
    services.refresh_scale()
    return firms


def test_the_summary_counts_entries_exits_and_hundred_million_firms(county: Any, scaled: Any) -> None:
    town = selectors.scale_summary(principal_for(county.staff_a), 2025)
    assert (town.above, town.above_base, town.net) == (3, 3, 0)
    assert (town.entered, town.exited) == (2, 2)
    assert (town.hundred_million, town.hundred_million_base, town.hundred_million_net) == (1, 1, 0)
    assert town.sentence == "2025 年规上企业 3 户，较 2024 年净增 0 户（入规 2 户、退规 2 户）；亿元企业 1 户"
    county_wide = selectors.scale_summary(principal_for(county.coordinator), 2025, base_year=2024)
    assert (county_wide.above, county_wide.hundred_million) == (4, 2)
    # A withdrawn year counts no more: 新投产入规 was entered by mistake.
    row = EnterpriseYear.objects.get(enterprise=scaled["new"], year=2025)
    services.year_withdraw(by=principal_for(county.staff_a), row=row, reason="尚未投产")
    town = selectors.scale_summary(principal_for(county.staff_a), 2025)
    assert (town.above, town.entered, town.exited, town.hundred_million) == (2, 1, 2, 0)
    assert town.sentence.startswith("2025 年规上企业 2 户，较 2024 年净减 1 户（入规 1 户、退规 2 户）")


def test_the_list_shows_the_summary_in_a_bounded_number_of_queries(
    client: Any, county: Any, scaled: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(county.staff_a)
    with django_assert_max_num_queries(15):
        body = client.get("/enterprises/").content.decode()
    assert "2025 年规上企业 3 户，较 2024 年净增 0 户（入规 2 户、退规 2 户）；亿元企业 1 户" in body


def test_the_summary_is_counted_once_per_scope_not_on_every_page(
    client: Any, county: Any, scaled: Any
) -> None:
    """A count over the whole scope is kept a few minutes for everyone who sees the same scope."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(county.staff_a)
    with CaptureQueriesContext(connection) as first:
        client.get("/enterprises/")
    with CaptureQueriesContext(connection) as second:
        body = client.get("/enterprises/?page=1").content.decode()
    assert len(second) == len(first) - 2  # the latest year and the summary's count
    assert "2025 年规上企业 3 户" in body


def test_the_enterprise_page_shows_each_years_status(client: Any, county: Any, scaled: Any) -> None:
    e = scaled["enters"]
    EnterpriseYear.objects.filter(enterprise=e, year=2025).update(scale_override="above")
    services.refresh_scale([e.pk])
    client.force_login(county.staff_a)
    body = client.get(f"/enterprises/{e.pk}/").content.decode()
    row = body[body.index('id="year-scale"') :]
    row = row[: row.index("</tr>")]
    assert row.index("规下") < row.index("规上") and "（人工认定）" in row
