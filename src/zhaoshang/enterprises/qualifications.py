"""The qualifications a county tracks from day one (more can be added as rows), and their dates."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core.permissions import require, require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.enterprises.models import Enterprise, EnterpriseQualification, Qualification

DEFAULTS = [
    ("high_tech", "高新技术企业", 10),
    ("specialised_province", "省级专精特新", 20),
    ("little_giant", "国家级专精特新“小巨人”", 30),
    ("tech_sme", "科技型中小企业", 40),
    ("tech_center_province", "省级企业技术中心", 50),
]


def ensure_defaults() -> dict[str, Qualification]:
    for code, name, order in DEFAULTS:
        Qualification.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    return {q.code: q for q in Qualification.objects.all()}


def check_dates(awarded_on: dt.date | None, expires_on: dt.date | None) -> None:
    """An award is not in the future, and a qualification cannot expire before it was awarded."""
    found: dict[str, str] = {}
    if awarded_on is not None and awarded_on > timezone.localdate():
        found["awarded_on"] = "认定日期：不能晚于今天"
    if awarded_on is not None and expires_on is not None and expires_on < awarded_on:
        found["expires_on"] = f"有效期至：不能早于认定日期 {awarded_on:%Y-%m-%d}"
    if found:
        raise ValidationError(found)


def qualification_save(
    *,
    by: Principal,
    enterprise: Enterprise,
    qualification: Qualification,
    awarded_on: dt.date | None,
    expires_on: dt.date | None,
    reason: str = "",
) -> EnterpriseQualification:
    """Record a qualification the enterprise holds, or put its dates right; audited either way."""
    require(by, Action.EDIT_BUSINESS)
    require_in_scope(by, enterprise, Action.EDIT_BUSINESS)
    check_dates(awarded_on, expires_on)
    dates = {"awarded_on": awarded_on, "expires_on": expires_on}
    with transaction.atomic():
        held = EnterpriseQualification.objects.filter(
            enterprise=enterprise, qualification=qualification
        ).first()
        if held is None:
            return audited_create(
                EnterpriseQualification(enterprise=enterprise, qualification=qualification, **dates),
                reason=reason,
            )
        audited_update(held, dates, reason=reason)
    return held
