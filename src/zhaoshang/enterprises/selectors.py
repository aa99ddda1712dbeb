"""Reads of the enterprise registry, always through the scoping mechanism."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, When

from zhaoshang.core import masking
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


def contact_in_full(principal: Principal) -> Q:
    """The enterprises whose phone numbers this principal reads in full: its own (an enterprise
    user) and those it works with (may edit). Everyone else reads them masked, in every channel."""
    editable = Enterprise.objects.visible_to(principal.acting_for(Action.EDIT_BUSINESS)).values("pk")
    return Q(pk__in=sorted(principal.enterprise_ids)) | Q(pk__in=editable)


def with_contacts(principal: Principal, rows: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Rows annotated with `contact_in_full`, so a list, its export and the API mask alike in one query."""
    return rows.annotate(
        contact_in_full=Case(
            When(contact_in_full(principal), then=True), default=False, output_field=BooleanField()
        )
    )


def sees_contact(principal: Principal, enterprise: Enterprise) -> bool:
    """Phone numbers in full only for those who work with the enterprise, and the enterprise itself."""
    annotated = getattr(enterprise, "contact_in_full", None)
    if annotated is not None:
        return bool(annotated)
    return enterprise.pk in principal.enterprise_ids or can_edit(principal, enterprise)


def contact_phone(principal: Principal, enterprise: Enterprise) -> str:
    """The phone as this principal may read it: the page, the export and the API all call this."""
    return masking.phone_as_seen(enterprise.contact_phone, in_full=sees_contact(principal, enterprise))


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
