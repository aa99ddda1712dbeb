"""Pre-review reads an existing enterprise's published 亩均 grade; a project renting a standard
factory building passes without land of its own."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.evaluation import services as evaluation_services
from zhaoshang.evaluation.models import Evaluation, EvaluationResult
from zhaoshang.evaluation.tests.conftest import firms, run, scheme  # noqa: F401  (fixtures)
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import services
from zhaoshang.projects.models import Review
from zhaoshang.projects.tests.helpers import make_project

TODAY = timezone.localdate()
GOOD = {
    "industry_code": "3525",
    "land_needed_mu": Decimal(25),
    "planned_investment": Decimal(15000),
    "promised_tax": Decimal(2500),
    "promised_output": Decimal(80000),
    "floor_area_ratio": Decimal("1.2"),
    "energy_tce": Decimal(200),
}


def _reviewed(county: Any, **extra: Any) -> Review:
    coordinator = principal_for(county.coordinator)
    p = make_project(county, county.coordinator, **extra)
    services.project_move(coordinator, p, "negotiating", on=TODAY)
    services.project_move(coordinator, p, "review", on=TODAY)
    return Review.objects.get(project=p)


def _verdict(review: Review, key: str) -> dict[str, Any] | None:
    return next((v for v in review.verdicts if v["key"] == key), None)


def test_an_expansion_of_a_d_grade_enterprise_is_flagged(county: Any, run: Evaluation) -> None:  # noqa: F811
    evaluation_services.run_publish(SYSTEM, run, early_reason="测试：提前发布")
    result = EvaluationResult.objects.filter(run=run).order_by("id").first()
    assert result is not None
    EvaluationResult.objects.filter(pk=result.pk).update(grade="D")
    review = _reviewed(county, enterprise=result.enterprise, **GOOD)
    assert _verdict(review, "low_grade") == {
        "key": "low_grade",
        "label": "亩均评价",
        "passed": False,
        "reason": f"既有企业{run.year} 年亩均评价为 D 类，请重点审查",
        "veto": False,
    }
    assert review.suggestion == "conditional" and not review.vetoed


def test_an_unpublished_grade_is_not_read(county: Any, run: Evaluation) -> None:  # noqa: F811
    result = EvaluationResult.objects.filter(run=run).order_by("id").first()
    assert result is not None
    review = _reviewed(county, enterprise=result.enterprise, **GOOD)
    assert _verdict(review, "low_grade") is None


def test_a_standard_building_project_without_land_is_not_failed_for_it(county: Any) -> None:
    rented = {**GOOD, "land_needed_mu": None, "floor_area_ratio": None, "in_standard_building": True}
    review = _reviewed(county, **rented)
    assert not any("未填写" in v["reason"] for v in review.verdicts)
    assert review.rules_passed and not review.vetoed
    small = _reviewed(county, **{**GOOD, "land_needed_mu": Decimal(12)})
    assert small.vetoed and small.suggestion == "reject"
    assert _verdict(small, "min_land_mu")["veto"] is True  # type: ignore[index]
