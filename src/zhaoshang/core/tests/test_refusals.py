"""Refusals (403) and answers "not found" for records outside one's scope are audited, capped per
user so they cannot flood the log, and repeated probing alerts the security administrators."""

from __future__ import annotations

import pytest
from django.test import Client

from zhaoshang.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _refusals() -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(action__in=["access_denied", "not_found", "refusals_capped"])
        .order_by("seq")
        .values_list("action", "target_repr")
    )


def test_a_record_outside_ones_scope_is_answered_not_found_and_audited(county: object) -> None:
    other_town = county.town_b.pk  # type: ignore[attr-defined]
    response = _client(county.staff_a).get(f"/org/units/{other_town}/")  # type: ignore[attr-defined]
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="not_found")
    assert event.actor_id == county.staff_a.pk and event.target_repr == f"/org/units/{other_town}/"  # type: ignore[attr-defined]
    assert event.get_action_display() == "范围外访问"


def test_a_refused_page_is_audited_and_an_unknown_address_is_not(county: object) -> None:
    client = _client(county.staff_a)  # type: ignore[attr-defined]
    assert client.get("/audit/").status_code == 403
    assert client.get("/no-such-page/").status_code == 404
    assert _refusals() == [("access_denied", "/audit/")]


def test_refusals_are_capped_per_user_and_probing_alerts_security_once(
    county: object, settings: object
) -> None:
    settings.ZHAOSHANG_REFUSAL_AUDIT_LIMIT = 3  # type: ignore[attr-defined]
    settings.ZHAOSHANG_REFUSAL_ALERT_AT = 5  # type: ignore[attr-defined]
    client = _client(county.staff_a)  # type: ignore[attr-defined]
    for _ in range(12):
        assert client.get("/audit/").status_code == 403
    actions = [a for a, _path in _refusals()]
    assert actions == ["access_denied"] * 3 + ["refusals_capped"]
    capped = AuditEvent.objects.get(action="refusals_capped")
    assert "不再逐条记录" in capped.reason
    alerts = Notification.objects.filter(kind="security")
    assert list(alerts.values_list("recipient__username", flat=True)) == ["security"]
    assert "疑似越权探测" in alerts.get().title and "staff_a" in alerts.get().title
    # Another user's refusals are counted on their own.
    assert _client(county.staff_b).get("/audit/").status_code == 403  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="access_denied", actor=county.staff_b).count() == 1  # type: ignore[attr-defined]
