"""The referrer claims as a list to work on, and its export (the same rows, the same order)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from zhaoshang.core.exports import export_sheet
from zhaoshang.core.lists import ScopedFilterSet, Sort
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import Column
from zhaoshang.outreach.models import CLAIM_STATUSES, CONTACT_KINDS, ReferrerClaim
from zhaoshang.projects.models import STAGES


class ClaimListing(ScopedFilterSet):
    q = django_filters.CharFilter(label="项目或引资人", method="search")
    status = django_filters.ChoiceFilter(label="认定状态", choices=CLAIM_STATUSES, empty_label="全部状态")
    kind = django_filters.ChoiceFilter(
        label="引资人类别", field_name="referrer__kind", choices=CONTACT_KINDS, empty_label="全部类别"
    )
    sort = Sort(fields={"claimed_on": "申报日期", "decided_on": "办理日期"}, default="-claimed_on")

    class Meta:
        model = ReferrerClaim
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[ReferrerClaim]:
        return ReferrerClaim.objects.visible_to(principal).select_related(
            "project", "referrer", "claimant_unit", "decided_by"
        )

    def search(self, rows: QuerySet[ReferrerClaim], name: str, value: str) -> QuerySet[ReferrerClaim]:
        return rows.filter(Q(project__name__icontains=value) | Q(referrer__name__icontains=value))


CLAIM_SHEET = export_sheet(
    "引资人认定",
    [
        Column("project", "项目", width=30),
        Column("stage", "项目阶段", kind="choice", choices=STAGES),
        Column("referrer", "引资人", width=24),
        Column("kind", "引资人类别", kind="choice", choices=CONTACT_KINDS),
        Column("claimant", "申报单位", width=18),
        Column("claimed_on", "申报日期", kind="date"),
        Column("status", "认定状态", kind="choice", choices=CLAIM_STATUSES),
        Column("decided_on", "办理日期", kind="date"),
        Column("reason", "意见", width=30),
    ],
)


def claim_records(rows: QuerySet[ReferrerClaim]) -> Iterator[dict[str, Any]]:
    for c in rows.iterator(chunk_size=2000):
        yield {
            "project": c.project.name,
            "stage": c.project.stage,
            "referrer": c.referrer.name,
            "kind": c.referrer.kind,
            "claimant": c.claimant_unit.name,
            "claimed_on": c.claimed_on,
            "status": c.status,
            "decided_on": c.decided_on,
            "reason": c.reason or None,
        }
