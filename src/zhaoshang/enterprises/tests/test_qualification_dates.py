"""Qualifications (高新技术企业, 专精特新 …) with their award and expiry dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhaoshang.core import audit
from zhaoshang.enterprises import services
from zhaoshang.enterprises.models import EnterpriseQualification
from zhaoshang.enterprises.qualifications import ensure_defaults, qualification_save
from zhaoshang.enterprises.tests.factories import EnterpriseFactory
from zhaoshang.org.principal import principal_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds() -> dict[str, Any]:
    return ensure_defaults()


def test_dates_are_checked_saved_and_audited(county: Any, kinds: dict[str, Any]) -> None:
    e = EnterpriseFactory(town=county.town_a)
    staff = principal_for(county.staff_a)
    with pytest.raises(ValidationError, match="有效期至：不能早于认定日期 2024-11-20"):
        qualification_save(
            by=staff,
            enterprise=e,
            qualification=kinds["high_tech"],
            awarded_on=dt.date(2024, 11, 20),
            expires_on=dt.date(2024, 1, 1),
        )
    with pytest.raises(ValidationError, match="认定日期：不能晚于今天"):
        qualification_save(
            by=staff,
            enterprise=e,
            qualification=kinds["high_tech"],
            awarded_on=timezone.localdate() + dt.timedelta(days=3),
            expires_on=None,
        )
    with pytest.raises(PermissionDenied):
        qualification_save(
            by=principal_for(county.staff_b),
            enterprise=e,
            qualification=kinds["high_tech"],
            awarded_on=None,
            expires_on=None,
        )
    held = qualification_save(
        by=staff,
        enterprise=e,
        qualification=kinds["high_tech"],
        awarded_on=dt.date(2023, 12, 1),
        expires_on=dt.date(2026, 11, 30),
    )
    assert list(e.qualifications.values_list("code", flat=True)) == ["high_tech"]
    again = qualification_save(
        by=staff,
        enterprise=e,
        qualification=kinds["high_tech"],
        awarded_on=dt.date(2023, 12, 1),
        expires_on=dt.date(2026, 12, 1),
        reason="证书日期录错",
    )
    assert again.pk == held.pk and EnterpriseQualification.objects.filter(enterprise=e).count() == 1
    event = audit.history(held)[0]
    assert event.reason == "证书日期录错" and event.after["expires_on"] == "2026-12-01"
    # Unticking another qualification on the edit form keeps the dates of those still held.
    services.enterprise_update(
        by=staff, enterprise=e, data={}, qualifications=[kinds["high_tech"], kinds["tech_sme"]]
    )
    assert EnterpriseQualification.objects.get(enterprise=e, qualification=kinds["high_tech"]).expires_on == (
        dt.date(2026, 12, 1)
    )


def test_expiry_notes() -> None:
    today = dt.date(2026, 12, 2)
    held = EnterpriseQualification(expires_on=dt.date(2026, 12, 1))
    assert held.expiry_note(today) == "已过期"
    held.expires_on = dt.date(2027, 3, 2)  # 90 days ahead
    assert held.expiry_note(today) == "将于 2027-03-02 到期"
    held.expires_on = dt.date(2027, 3, 3)
    assert held.expiry_note(today) == ""
    held.expires_on = None
    assert held.expiry_note(today) == ""


def test_the_page_shows_dates_and_expiry_and_keeps_a_refused_form(
    client: Any, county: Any, kinds: dict[str, Any]
) -> None:
    e = EnterpriseFactory(town=county.town_a)
    today = timezone.localdate()
    EnterpriseQualification.objects.create(
        enterprise=e,
        qualification=kinds["high_tech"],
        awarded_on=dt.date(2020, 1, 1),
        expires_on=today - dt.timedelta(days=1),
    )
    soon = today + dt.timedelta(days=30)
    EnterpriseQualification.objects.create(
        enterprise=e,
        qualification=kinds["specialised_province"],
        awarded_on=dt.date(2024, 1, 1),
        expires_on=soon,
    )
    client.force_login(county.staff_a)
    body = client.get(f"/enterprises/{e.pk}/").content.decode()
    assert "资质认定" in body and "2020-01-01" in body
    assert "已过期" in body and f"将于 {soon:%Y-%m-%d} 到期" in body
    refused = client.post(
        f"/enterprises/{e.pk}/qualifications/",
        {"qualification": kinds["tech_sme"].pk, "awarded_on": "2025-06-01", "expires_on": "2025-01-01"},
    )
    text = refused.content.decode()
    assert "有效期至：不能早于认定日期 2025-06-01" in text
    assert refused.context["qualification_form"]["awarded_on"].value() == "2025-06-01"
    done = client.post(
        f"/enterprises/{e.pk}/qualifications/",
        {"qualification": kinds["tech_sme"].pk, "awarded_on": "2025-06-01", "expires_on": "2028-05-31"},
        follow=True,
    )
    assert "已保存资质“科技型中小企业”的认定日期和有效期。" in done.content.decode()
    assert EnterpriseQualification.objects.get(enterprise=e, qualification=kinds["tech_sme"]).expires_on == (
        dt.date(2028, 5, 31)
    )
    client.force_login(county.enterprise)
    assert client.post(f"/enterprises/{e.pk}/qualifications/", {}).status_code == 403
