"""Reads of the enterprise registry, always through the scoping mechanism."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear, Qualification
from zhaoshang.org.models import Unit


def enterprises_for_list(principal: Principal, filters: dict[str, Any]) -> QuerySet[Enterprise]:
    """The enterprises the list shows under these filters (a query string, or the API's parameters)."""
    # The filters are declared once, in `filters.py`, which picks its towns and parks from here.
    from zhaoshang.enterprises.filters import enterprises_matching

    return enterprises_matching(principal, filters)


def enterprise_for_page(principal: Principal, pk: int) -> Enterprise:
    return (
        Enterprise.objects.select_related("town", "park")
        .prefetch_related(
            "qualifications", Prefetch("years", queryset=EnterpriseYear.objects.order_by("year"))
        )
        .get_visible_or_404(principal, pk=pk)
    )


def can_edit(principal: Principal, enterprise: Enterprise) -> bool:
    if not principal.can(Action.EDIT_BUSINESS):
        return False
    scope = principal.acting_for(Action.EDIT_BUSINESS)
    return Enterprise.objects.visible_to(scope).filter(pk=enterprise.pk).exists()


def sees_contact(principal: Principal, enterprise: Enterprise) -> bool:
    """Phone numbers in full only for those who work with the enterprise, and the enterprise itself."""
    return enterprise.pk in principal.enterprise_ids or can_edit(principal, enterprise)


def mask_phone(phone: str) -> str:
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 7:
        return "*" * len(phone)
    return phone[:3] + "****" + phone[-4:]


def towns(principal: Principal) -> QuerySet[Unit]:
    return Unit.objects.visible_to(principal).filter(kind__code="town", is_active=True).order_by("path")


def parks(principal: Principal) -> QuerySet[Unit]:
    return Unit.objects.visible_to(principal).filter(kind__code="park", is_active=True).order_by("path")


def qualifications() -> QuerySet[Qualification]:
    return Qualification.objects.all()


def check_enterprise(by: Principal, enterprise: Enterprise | None, *, field: str, label: str) -> None:
    """An enterprise named on another record (a project's 落地企业) must be one this principal sees."""
    if enterprise is not None and not Enterprise.objects.visible_to(by).filter(pk=enterprise.pk).exists():
        raise ValidationError({field: f"{label}：该企业不存在或不在您的查看范围内"})
