"""The referrers: claims to work on, the register of recognised referrers with their projects and
funds in place, and the older projects whose free-text referrer matched no registered contact."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet

from zhaoshang.core.scoping import Principal
from zhaoshang.outreach.models import Contact, ProjectOrigin, ReferrerClaim
from zhaoshang.projects.models import Project


def claims(principal: Principal) -> QuerySet[ReferrerClaim]:
    rows: QuerySet[ReferrerClaim] = ReferrerClaim.objects.visible_to(principal)
    return rows.select_related("project", "referrer", "claimant_unit", "decided_by")


@dataclass
class Referrer:
    contact: Contact
    projects: list[Project] = field(default_factory=list)

    @property
    def contract(self) -> Decimal:
        return sum((p.contract_amount or Decimal(0) for p in self.projects), Decimal(0))

    @property
    def funds(self) -> Decimal:
        return sum((p.funds_in_place or Decimal(0) for p in self.projects), Decimal(0))


def register(principal: Principal) -> list[Referrer]:
    """Each recognised referrer with the projects recognised as theirs: two queries."""
    rows = (
        claims(principal)
        .filter(status="recognised")
        .select_related("referrer__keeper_unit")
        .order_by("referrer__name", "project__name")
    )
    found: dict[int, Referrer] = {}
    for claim in rows:
        found.setdefault(claim.referrer_id, Referrer(claim.referrer)).projects.append(claim.project)
    return sorted(found.values(), key=lambda r: (-r.funds, r.contact.name))


def unmatched(principal: Principal, limit: int = 200) -> list[Project]:
    """Projects with a free-text 引荐人或单位 and no claim at all: the review list of the migration."""
    claimed = ReferrerClaim.objects.filter(project=OuterRef("pk"))
    return list(
        Project.objects.visible_to(principal)
        .exclude(referrer="")
        .exclude(Exists(claimed))
        .select_related("town", "lead_unit")
        .order_by("-created_at", "pk")[:limit]
    )


def project_claims(project: Project) -> list[ReferrerClaim]:
    return list(
        ReferrerClaim.objects.filter(project=project)
        .select_related("referrer", "claimant_unit", "decided_by")
        .order_by("-claimed_on", "-pk")
    )


def origin_of(project: Project) -> ProjectOrigin | None:
    return (
        ProjectOrigin.objects.filter(project=project)
        .select_related("introducing_unit", "trip", "visit", "event", "agreement")
        .first()
    )


def open_by_project(project_ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for pid in ReferrerClaim.objects.filter(
        project_id__in=project_ids, status__in=("claimed", "verified")
    ).values_list("project_id", flat=True):
        counts[pid] += 1
    return counts
