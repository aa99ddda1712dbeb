"""A year's figures as they can be: refused in the service with the field named, and a refused form
keeps every typed figure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhaoshang.enterprises import services
from zhaoshang.enterprises.tests.factories import EnterpriseFactory, EnterpriseYearFactory
from zhaoshang.org.principal import principal_for

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def firms(county: Any) -> dict[str, Any]:
    a = EnterpriseFactory(name="甲镇水泥有限公司", town=county.town_a, industry_code="3011")
    EnterpriseYearFactory(enterprise=a, year=2024, revenue=Decimal("2500"), tax=Decimal("80"))
    EnterpriseYearFactory(enterprise=a, year=2025, revenue=Decimal("2600"), tax=None)
    return {"a": a}


def test_a_refused_year_keeps_every_typed_figure(client: Any, county: Any, firms: dict[str, Any]) -> None:
    """Before: an error on 职工人数 redirected to a blank form, and every other figure typed was lost."""
    a = firms["a"]
    client.force_login(county.staff_a)
    typed = {"year": "2023", "output_value": "3100", "revenue": "2999.5", "tax": "75", "employees": "12.5"}
    response = client.post(f"/enterprises/{a.pk}/years/", typed)
    assert response.status_code == 200
    form = response.context["year_form"]
    assert {k: form[k].value() for k in typed} == typed
    assert "年平均职工人数：" in _text(response) and 'value="2999.5"' in _text(response)
    assert a.years.count() == 2


def test_implausible_figures_are_refused_by_the_service(
    client: Any, county: Any, firms: dict[str, Any]
) -> None:
    a = firms["a"]
    client.force_login(county.staff_a)
    future = timezone.localdate().year + 1
    body = {"year": str(future), "output_value": "-1", "revenue": "-2", "land_area_mu": "0", "tax": "7"}
    response = client.post(f"/enterprises/{a.pk}/years/", body)
    text = _text(response)
    assert f"年度：{future} 年尚未到来，不能录入" in text
    assert "工业总产值（万元）：不能为负数" in text and "主营业务收入（万元）：不能为负数" in text
    assert "用地面积（亩）：0 亩无法计算亩均指标；没有用地请留空，有用地请填写实际亩数" in text
    assert response.context["year_form"]["tax"].value() == "7" and a.years.count() == 2
    with pytest.raises(ValidationError, match="须为整数"):
        services.year_save(
            by=principal_for(county.staff_a), enterprise=a, year=2023, data={"employees": Decimal("3.5")}
        )
