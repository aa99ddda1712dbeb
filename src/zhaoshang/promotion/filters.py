"""The promotion library's filters, its status counts under them, and its export's columns."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import django_filters
from django.db.models import Count, QuerySet
from django.utils import timezone

from zhaoshang.core import industries
from zhaoshang.core.exports import export_sheet
from zhaoshang.core.lists import ScopedChoice, ScopedFilterSet, Sort
from zhaoshang.core.pickers import IndustryInput
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import Column
from zhaoshang.org.models import Unit
from zhaoshang.promotion.models import MATURITIES, PROMOTION_STATUSES, PromotionProject


def filter_units(principal: Principal) -> QuerySet[Unit]:
    return Unit.objects.visible_to(principal).filter(is_active=True).order_by("path")


class PromotionFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="项目名称", field_name="name", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label="状态", choices=PROMOTION_STATUSES, empty_label="全部状态")
    maturity = django_filters.ChoiceFilter(label="策划深度", choices=MATURITIES, empty_label="全部深度")
    unit = ScopedChoice(label="策划单位", scope=filter_units, empty_label="全部单位", method="planned_by")
    industry = django_filters.CharFilter(
        label="行业", method="in_industry", widget=IndustryInput(min_level=2)
    )
    sort = Sort(
        fields={
            "name": "项目名称",
            "estimated_investment": "估算投资",
            "land_mu": "用地",
            "created_at": "登记日期",
        },
        default="-created_at",
    )

    class Meta:
        model = PromotionProject
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[PromotionProject]:
        return PromotionProject.objects.visible_to(principal).select_related("unit", "project")

    def planned_by(
        self, rows: QuerySet[PromotionProject], name: str, unit: Unit
    ) -> QuerySet[PromotionProject]:
        return rows.filter(unit__path__startswith=unit.path)  # a department's teams plan for it too

    def in_industry(
        self, rows: QuerySet[PromotionProject], name: str, value: str
    ) -> QuerySet[PromotionProject]:
        """A code prefix; "30 非金属矿物制品业" from the picker reads as "30"."""
        code = value.split()[0] if value.strip() else ""
        return rows.filter(industry_code__startswith=industries.normalise(code))

    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) for every status under the other filters: one grouped query."""
        others = self.data.copy()
        others.pop("status", None)
        rows = type(self)(others, principal=self.principal).qs.order_by()
        found = dict(rows.values_list("status").annotate(n=Count("pk")))
        return [(s, label, found.get(s, 0)) for s, label in PROMOTION_STATUSES]


PROMOTION_SHEET = export_sheet(
    "项目储备库",
    [
        Column("name", "项目名称", width=30),
        Column("unit", "策划单位", width=18),
        Column("industry_code", "行业代码"),
        Column("chain_node", "产业链环节", width=24),
        Column("estimated_investment", "估算投资", kind="decimal", unit="万元"),
        Column("land_mu", "用地", kind="decimal", unit="亩"),
        Column("maturity", "策划深度", kind="choice", choices=MATURITIES),
        Column("status", "状态", kind="choice", choices=PROMOTION_STATUSES),
        Column("project", "对接项目", width=30),
        Column("description", "项目简介", width=40),
        Column("created_on", "登记日期", kind="date"),
    ],
)


def promotion_records(rows: QuerySet[PromotionProject]) -> Iterator[dict[str, Any]]:
    for p in rows.iterator(chunk_size=2000):
        yield {
            "name": p.name,
            "unit": p.unit.name,
            "industry_code": p.industry_code or None,
            "chain_node": p.chain_node or None,
            "estimated_investment": p.estimated_investment,
            "land_mu": p.land_mu,
            "maturity": p.maturity,
            "status": p.status,
            "project": p.project.name if p.project else None,
            "description": p.description or None,
            "created_on": timezone.localtime(p.created_at).date(),
        }
