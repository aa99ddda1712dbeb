"""The enterprise list's filters: the page, its export and the API filter the same way."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from zhaoshang.core import industries
from zhaoshang.core.lists import ScopedChoice, ScopedFilterSet, Sort
from zhaoshang.core.pickers import IndustryInput
from zhaoshang.core.scoping import Principal
from zhaoshang.enterprises import selectors
from zhaoshang.enterprises.models import Enterprise, Qualification

SCALES = [("above", "规上"), ("below", "规下")]


class EnterpriseFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="名称、代码或拼音首字母", method="search")
    industry = django_filters.CharFilter(
        label="行业", method="in_industry", widget=IndustryInput(min_level=1)
    )
    town = ScopedChoice(label="乡镇", scope=selectors.towns, empty_label="全部乡镇")
    park = ScopedChoice(label="园区", scope=selectors.parks, empty_label="全部园区")
    scale = django_filters.ChoiceFilter(
        label="规模", choices=SCALES, empty_label="全部规模", method="in_scale"
    )
    qualification = django_filters.ModelChoiceFilter(
        label="资质",
        queryset=Qualification.objects.all(),
        field_name="qualifications",
        empty_label="全部资质",
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=Enterprise.Status.choices, empty_label="全部状态"
    )
    sort = Sort(
        fields={"name": "企业名称", "industry_code": "行业", "founded_on": "成立日期"},
        default="name",
    )

    class Meta:
        model = Enterprise
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[Enterprise]:
        return Enterprise.objects.visible_to(principal).for_list()

    def search(self, rows: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        q = value.strip()
        lowered = q.lower()
        match = Q(name__icontains=q) | Q(uscc__startswith=q.upper())
        if lowered.isascii() and lowered.isalpha():
            match |= Q(name_initials__contains=lowered)
        return rows.filter(match)

    def in_industry(self, rows: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        """A 门类 letter, or a code prefix at any level; "30 非金属矿物制品业" from the picker reads as "30"."""
        code = value.split()[0].upper() if value.strip() else ""
        if code.isalpha():
            return rows.filter(industry_section=code)
        return rows.filter(industry_code__startswith=industries.normalise(code))

    def in_scale(self, rows: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return rows.filter(above_scale=value == "above")


def enterprises_matching(principal: Principal, data: dict[str, Any]) -> QuerySet[Enterprise]:
    """The enterprises a list with these filters shows (the page's query string, or the API's)."""
    return EnterpriseFilter(data, principal=principal).qs
