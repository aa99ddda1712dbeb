"""Reads of the enterprise registry, always through the scoping mechanism."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, When

from zhaoshang.core import masking
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.enterprises.models import (
    HUNDRED_MILLION_REVENUE,
    Enterprise,
    EnterpriseQualification,
    EnterpriseYear,
    Qualification,
)
from zhaoshang.org.models import Unit


def enterprises_for_list(principal: Principal, filters: dict[str, Any]) -> QuerySet[Enterprise]:
    """The enterprises the list shows under these filters (a query string, or the API's parameters)."""
    # The filters are declared once, in `filters.py`, which picks its towns and parks from here.
    from zhaoshang.enterprises.filters import enterprises_matching

    return enterprises_matching(principal, filters)


def enterprise_for_page(principal: Principal, pk: int) -> Enterprise:
    """The enterprise with its current years (withdrawn ones are read by `withdrawn_years`)."""
    return (
        Enterprise.objects.select_related("town", "park")
        .prefetch_related(
            "qualifications", Prefetch("years", queryset=EnterpriseYear.objects.order_by("year"))
        )
        .get_visible_or_404(principal, pk=pk)
    )


def withdrawn_years(enterprise: Enterprise) -> list[EnterpriseYear]:
    """The years withdrawn from every count, kept on the page with who, when and why."""
    return list(
        EnterpriseYear.all_rows.filter(enterprise=enterprise, withdrawn_at__isnull=False)
        .select_related("withdrawn_by")
        .order_by("year", "withdrawn_at")
    )


def held_qualifications(enterprise: Enterprise) -> list[EnterpriseQualification]:
    return list(
        EnterpriseQualification.objects.filter(enterprise=enterprise)
        .select_related("qualification")
        .order_by("qualification__sort_order", "qualification__code")
    )


@dataclass(frozen=True)
class ScaleSummary:
    """规上 and 亿元 enterprises of a scope in two years: counts, 入规 and 退规 (from the yearly status)."""

    year: int
    base_year: int
    above: int
    above_base: int
    entered: int  # 入规: 规上 in `year`, not in `base_year` (or no figures then)
    exited: int  # 退规: 规上 in `base_year`, not in `year` (or no figures now)
    hundred_million: int
    hundred_million_base: int

    @property
    def net(self) -> int:
        return self.above - self.above_base

    @property
    def hundred_million_net(self) -> int:
        return self.hundred_million - self.hundred_million_base

    @property
    def sentence(self) -> str:
        """ "2025 年规上企业 X 户，较 2024 年净增 Y 户（入规 A 户、退规 B 户）；亿元企业 Z 户"."""
        change = f"净增 {self.net} 户" if self.net >= 0 else f"净减 {-self.net} 户"
        return (
            f"{self.year} 年规上企业 {self.above} 户，较 {self.base_year} 年{change}"
            f"（入规 {self.entered} 户、退规 {self.exited} 户）；亿元企业 {self.hundred_million} 户"
        )


def latest_year(principal: Principal) -> int | None:
    """The latest year with figures among the enterprises this principal sees."""
    found = EnterpriseYear.objects.visible_to(principal).aggregate(latest=Max("year"))["latest"]
    return int(found) if found is not None else None


def scale_summary(
    principal: Principal,
    year: int,
    base_year: int | None = None,
    enterprises: QuerySet[Enterprise] | None = None,
) -> ScaleSummary:
    """One query: for the enterprises in scope (or those given), the year's counts against a base year."""
    base_year = year - 1 if base_year is None else base_year
    rows = Enterprise.objects.visible_to(principal) if enterprises is None else enterprises
    years = EnterpriseYear.objects.filter(enterprise=OuterRef("pk"))
    flags = {
        "a": Exists(years.filter(year=year, above_scale=True)),
        "b": Exists(years.filter(year=base_year, above_scale=True)),
        "ha": Exists(years.filter(year=year, revenue__gte=HUNDRED_MILLION_REVENUE)),
        "hb": Exists(years.filter(year=base_year, revenue__gte=HUNDRED_MILLION_REVENUE)),
    }
    counts = (
        rows.order_by()
        .annotate(**flags)
        .aggregate(
            above=Count("pk", filter=Q(a=True)),
            above_base=Count("pk", filter=Q(b=True)),
            entered=Count("pk", filter=Q(a=True, b=False)),
            exited=Count("pk", filter=Q(a=False, b=True)),
            hundred_million=Count("pk", filter=Q(ha=True)),
            hundred_million_base=Count("pk", filter=Q(hb=True)),
        )
    )
    return ScaleSummary(year=year, base_year=base_year, **counts)


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
