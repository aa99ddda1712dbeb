"""One error shape: services' refusals, ninja's request validation, 401/403/404, all in Chinese."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticError

from zhaoshang.core.api import errors
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.enterprises.models import EnterpriseYear
from zhaoshang.enterprises.tests.factories import EnterpriseFactory
from zhaoshang.org import services

HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b(Input|should|valid|field|required)\b", re.IGNORECASE)


class Colour(Enum):
    RED = "red"
    GREEN = "green"


class Sample(BaseModel):
    count: int
    amount: Decimal
    on: dt.date
    name: str = Field(max_length=4)
    year: int = Field(ge=1990, le=2100)
    kind: Literal["a", "b"]
    colour: Colour
    flag: bool
    share: float = Field(gt=0)
    needed: str


def _errors(data: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(PydanticError) as caught:
        Sample.model_validate(data)
    # ninja's loc starts with where the value came from and the body parameter's name
    return [e | {"loc": ("body", "payload", *e["loc"])} for e in caught.value.errors()]


def test_pydantics_english_becomes_chinese_by_type_and_names_the_field() -> None:
    answer = errors.pydantic_refusal(
        _errors(
            {
                "count": "abc",
                "amount": "十二",
                "on": "2025-03-01T08:30:00",
                "name": "太长的名字",
                "year": 1800,
                "kind": "c",
                "colour": "blue",
                "flag": "perhaps",
                "share": 0,
            }
        )
    )
    assert answer["errors"] == {
        "count": ["应为整数"],
        "amount": ["应为数字，例如 12.5"],
        "on": ["应为日期，格式 YYYY-MM-DD"],
        "name": ["最多 4 个字符"],
        "year": ["不得小于 1990"],
        "kind": ["应为以下之一：a、b"],
        "colour": ["应为以下之一：red、green"],
        "flag": ["应为 true 或 false"],
        "share": ["应大于 0"],
        "needed": ["必填"],
    }
    assert answer["detail"].startswith("输入有误：count 应为整数；")
    assert not ENGLISH.search(json.dumps(answer, ensure_ascii=False))


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ({"type": "date_parsing", "loc": ("query", "on")}, "应为日期，格式 YYYY-MM-DD"),
        ({"type": "json_invalid", "loc": ("body", "payload")}, "不是有效的 JSON"),
        ({"type": "less_than_equal", "loc": ("query", "limit"), "ctx": {"le": 500}}, "不得大于 500"),
        ({"type": "string_too_long", "loc": ("body", "p", "x"), "ctx": {"max_length": 20}}, "最多 20 个字符"),
        ({"type": "value_error", "msg": "Value error, 电话：只能填写数字"}, "电话：只能填写数字"),
        ({"type": "value_error", "msg": "Value error, something English"}, errors.GENERIC),
        ({"type": "some_future_type", "msg": "Whatever"}, errors.GENERIC),
    ],
)
def test_each_type_has_its_chinese_message(error: dict[str, Any], message: str) -> None:
    assert errors.message_for(error) == message


def test_the_field_is_the_last_name_of_the_location() -> None:
    assert errors.field_for({"loc": ("path", "unit_id")}) == "unit_id"
    assert errors.field_for({"loc": ("body", "payload", "evidence", 0, "kind")}) == "kind"
    assert errors.field_for({"loc": ("body", "payload")}) == "__all__"


def test_a_services_refusal_keeps_its_messages_by_field() -> None:
    answer = errors.django_refusal(
        ValidationError({"phone": "电话：只能填写数字", "__all__": "不能同时修改"})
    )
    assert answer == {
        "detail": "电话：只能填写数字；不能同时修改",
        "errors": {"phone": ["电话：只能填写数字"], "__all__": ["不能同时修改"]},
    }
    assert errors.django_refusal(ValidationError("整体有误"))["errors"] == {"__all__": ["整体有误"]}


def _client(user: Any) -> Client:
    _token, raw = services.token_create(by=SYSTEM, user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _put(client: Client, url: str, body: Any) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_the_api_answers_every_refusal_in_the_same_chinese_shape(county: Any) -> None:
    a, b = county.town_a, county.town_b
    staff = _client(county.staff_a)
    # a service's refusal (a model check): 422 by field
    refused = staff.patch(
        f"/api/org/units/{a.pk}",
        json.dumps({"version": 1, "short_name": "名" * 300}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert set(refused.json()) == {"detail", "errors"} and "short_name" in refused.json()["errors"]
    # outside the user's scope: 404; a role that may not write: 403; no credentials: 401
    missing = staff.get(f"/api/org/units/{b.pk}")
    assert (missing.status_code, missing.json()) == (404, {"detail": errors.NOT_FOUND})
    forbidden = _client(county.inspector).patch(
        f"/api/org/units/{a.pk}", json.dumps({"version": 1, "phone": "1"}), content_type="application/json"
    )
    assert forbidden.status_code == 403 and HAN.search(forbidden.json()["detail"])
    assert Client().get("/api/org/units").json() == {"detail": errors.UNAUTHENTICATED}
    # ninja's own English refusals: a body that is no JSON, a page size out of range
    not_json = staff.generic("PATCH", f"/api/org/units/{a.pk}", "{", content_type="application/json")
    assert (not_json.status_code, not_json.json()["errors"]) == (422, {"__all__": [errors.NOT_JSON]})
    too_many = staff.get("/api/org/units?limit=100000")
    assert too_many.json() == {
        "detail": "输入有误：limit 不得大于 500",
        "errors": {"limit": ["不得大于 500"]},
    }
    year = _put(staff, f"/api/enterprises/{EnterpriseFactory(town=a).pk}/years/1800", {"tax": "1"})
    assert year.json()["errors"] == {"year": ["不得小于 1990"]}


@pytest.mark.django_db
def test_a_failed_csrf_check_is_refused_in_chinese(county: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(county.staff_a)
    response = client.patch(
        f"/api/org/units/{county.town_a.pk}",
        json.dumps({"version": 1, "phone": "1"}),
        content_type="application/json",
    )
    assert response.status_code in (401, 403) and HAN.search(response.json()["detail"])


@pytest.mark.django_db
def test_decimals_go_in_and_out_as_strings_without_loss(county: Any, client: Client) -> None:
    enterprise = EnterpriseFactory(town=county.town_a)
    staff = _client(county.staff_a)
    url = f"/api/enterprises/{enterprise.pk}/years/2025"
    saved = _put(staff, url, {"tax": "9876543210.1234", "revenue": 0.1, "land_area_mu": "66.6667"})
    assert saved.status_code == 200, saved.content
    assert (saved.json()["tax"], saved.json()["revenue"], saved.json()["land_area_mu"]) == (
        "9876543210.1234",
        "0.1000",
        "66.6667",
    )
    stored = EnterpriseYear.objects.get(enterprise=enterprise, year=2025)
    assert stored.tax == Decimal("9876543210.1234") and stored.revenue == Decimal("0.1")
    assert staff.get(f"/api/enterprises/{enterprise.pk}/years").json()[0]["tax"] == "9876543210.1234"
    too_big = _put(staff, url, {"tax": "12345678901234567"})
    assert too_big.status_code == 422 and "tax" in too_big.json()["errors"]
    client.force_login(county.staff_a)
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    tax = schema["YearOut"]["properties"]["tax"]
    assert {"type": "string"} in [{"type": v["type"]} for v in tax["anyOf"]]
    assert "number" not in {v["type"] for v in tax["anyOf"]}
