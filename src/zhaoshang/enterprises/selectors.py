"""Reads of the enterprise registry, always through the scoping mechanism."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear, Qualification
from zhaoshang.org.models import Unit

SORTS = {
    "name": "name",
    "-name": "-name",
    "founded": "founded_on",
    "-founded": "-founded_on",
    "industry": "industry_code",
}


def enterprises_for_list(principal: Principal, filters: dict[str, Any]) -> QuerySet[Enterprise]:
    rows = Enterprise.objects.visible_to(principal).for_list()
    if q := (filters.get("q") or "").strip():
        lowered = q.lower()
        match = Q(name__icontains=q) | Q(uscc__startswith=q.upper())
        if lowered.isascii() and lowered.isalpha():
            match |= Q(name_initials__contains=lowered)
        rows = rows.filter(match)
    if industry := (filters.get("industry") or "").strip().upper():
        rows = (
            rows.filter(industry_section=industry)
            if industry.isalpha()
            else rows.filter(industry_code__startswith=industry)
        )
    if town := filters.get("town"):
        rows = rows.filter(town=town)
    if park := filters.get("park"):
        rows = rows.filter(park=park)
    if scale := filters.get("scale"):
        rows = rows.filter(above_scale=scale == "above")
    if qualification := filters.get("qualification"):
        rows = rows.filter(qualifications=qualification)
    if status := filters.get("status"):
        rows = rows.filter(status=status)
    return rows.order_by(SORTS.get(filters.get("sort") or "", "name"), "pk")


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
