from __future__ import annotations

import json

import pytest
from django.test import Client

from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.org import services

pytestmark = pytest.mark.django_db


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_acts_as_its_user_with_their_scope(county: object) -> None:
    _token, raw = services.token_create(by=SYSTEM, user=county.staff_a, name="报表脚本")  # type: ignore[attr-defined]
    client = Client()
    listed = client.get("/api/org/units", **_bearer(raw)).json()
    assert {u["name"] for u in listed["items"]} == {"甲镇", "甲镇工业功能区"}
    a = county.town_a  # type: ignore[attr-defined]
    response = client.patch(
        f"/api/org/units/{a.pk}",
        json.dumps({"version": 1, "phone": "0571-12345678", "reason": "接口同步"}),
        content_type="application/json",
        **_bearer(raw),
    )
    assert response.status_code == 200 and response.json()["phone"] == "0571-12345678"
    event = AuditEvent.objects.filter(target_id=str(a.pk), action="update").latest("seq")
    assert event.actor_id == county.staff_a.pk and event.channel == "api" and event.reason == "接口同步"  # type: ignore[attr-defined]


def test_a_revoked_or_unknown_token_is_refused(county: object) -> None:
    token, raw = services.token_create(by=SYSTEM, user=county.staff_a, name="旧脚本")  # type: ignore[attr-defined]
    services.token_revoke(by=SYSTEM, token=token)
    client = Client()
    assert client.get("/api/org/units", **_bearer(raw)).status_code == 401
    assert client.get("/api/org/units", **_bearer("zs_nonsense")).status_code == 401


def test_a_session_write_needs_the_csrf_token(county: object) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    a = county.town_a  # type: ignore[attr-defined]
    response = client.patch(
        f"/api/org/units/{a.pk}", json.dumps({"version": 1, "phone": "1"}), content_type="application/json"
    )
    assert response.status_code in (401, 403)


def test_bad_input_gets_a_field_by_field_answer(county: object) -> None:
    _token, raw = services.token_create(by=SYSTEM, user=county.staff_a, name="t")  # type: ignore[attr-defined]
    a = county.town_a  # type: ignore[attr-defined]
    response = Client().patch(
        f"/api/org/units/{a.pk}",
        json.dumps({"version": 1, "phone": ["not", "a", "string"]}),
        content_type="application/json",
        **_bearer(raw),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"phone": ["应为文本"]}
    assert response.json()["detail"] == "输入有误：phone 应为文本"


def test_the_openapi_docs_are_served_to_people_who_logged_in(client: object, county: object) -> None:
    assert client.get("/api/docs").status_code == 302  # type: ignore[attr-defined]
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    assert client.get("/api/docs").status_code == 200  # type: ignore[attr-defined]
    schema = client.get("/api/openapi.json").json()  # type: ignore[attr-defined]
    assert "/api/org/units" in schema["paths"]


@pytest.mark.parametrize(
    "payload",
    [{"phone": None}, {"address": "\ud800"}, {"contact_person": "a\u0000b"}, {"phone": "<script>"}],
)
def test_unstorable_or_invalid_input_is_refused_without_a_500(
    county: object, payload: dict[str, object]
) -> None:
    _token, raw = services.token_create(by=SYSTEM, user=county.staff_a, name="t")  # type: ignore[attr-defined]
    a = county.town_a  # type: ignore[attr-defined]
    before = (a.phone, a.address, a.contact_person)
    body = json.dumps(payload).encode()
    response = Client().generic(
        "PATCH", f"/api/org/units/{a.pk}", body, content_type="application/json", **_bearer(raw)
    )
    assert response.status_code in (200, 422)
    a.refresh_from_db()
    assert (a.phone, a.address, a.contact_person) == before


def test_a_page_of_results_is_capped(county: object) -> None:
    _token, raw = services.token_create(by=SYSTEM, user=county.admin, name="t")  # type: ignore[attr-defined]
    response = Client().get("/api/org/users?limit=100000", **_bearer(raw))
    assert response.status_code in (200, 422)
