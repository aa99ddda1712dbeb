"""Fixtures the page-use tests of the 亩均 evaluation share: a county with rated firms and a run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from zhaoshang.enterprises.tests.factories import EnterpriseFactory, EnterpriseYearFactory
from zhaoshang.evaluation import runner, services
from zhaoshang.evaluation.models import Evaluation, Scheme
from zhaoshang.org.principal import principal_for


def _firm(town: Any, n: int, **overrides: Any) -> Any:
    e = EnterpriseFactory(
        name=f"评价企业{n:02d}", town=town, land_owned_mu=Decimal(10 + n), founded_on=dt.date(2010, 1, 1)
    )
    for year in (2024, 2025):
        figures = dict(
            revenue=Decimal(3000 + 100 * n),
            tax=Decimal(20 + 7 * n),
            value_added=Decimal(600 + 40 * n),
            energy_tce=Decimal(200 + 3 * n),
            emission_equivalent=Decimal(2 + n),
            rd_spending=Decimal(30 + n),
            employees=50 + n,
            electricity_10k_kwh=Decimal(100 + n),
        )
        figures.update(overrides)
        EnterpriseYearFactory(enterprise=e, year=year, **figures)
    return e


@pytest.fixture
def firms(county: Any) -> list[Any]:
    out = [_firm(county.town_a if n % 2 else county.town_b, n) for n in range(1, 13)]
    from zhaoshang.enterprises.services import refresh_scale

    refresh_scale()
    return out


@pytest.fixture
def scheme(county: Any, firms: list[Any]) -> Scheme:
    return services.scheme_create(
        principal_for(county.coordinator),
        name="2025 年规上企业评价",
        year=2025,
        unit=county.county,
        definition=services.shipped_definitions()["above_scale"],
    )


@pytest.fixture
def run(county: Any, scheme: Scheme) -> Evaluation:
    return runner.run_evaluation(principal_for(county.coordinator), scheme, notice_days=7)


def _text(response: Any) -> str:
    return response.content.decode()


# --- the evaluation home and the schemes ------------------------------------------------------------
