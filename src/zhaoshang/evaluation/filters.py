"""The ranking's filters: by name, town, park, industry and grade, sorted by any ranked column."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from zhaoshang.core import industries
from zhaoshang.core.lists import ScopedChoice, ScopedFilterSet, Sort
from zhaoshang.core.pickers import IndustryInput
from zhaoshang.core.scoping import Principal
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.evaluation import selectors
from zhaoshang.evaluation.method import GRADE_LABELS
from zhaoshang.evaluation.models import Evaluation, EvaluationResult


class RankingFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="企业名称或信用代码", method="search")
    town = ScopedChoice(label="乡镇", scope=enterprise_selectors.towns, empty_label="全部乡镇")
    park = ScopedChoice(label="园区", scope=enterprise_selectors.parks, empty_label="全部园区")
    industry = django_filters.CharFilter(
        label="行业", method="in_industry", widget=IndustryInput(min_level=2)
    )
    grade = django_filters.ChoiceFilter(
        label="类别", choices=list(GRADE_LABELS.items()), empty_label="全部类别"
    )
    sort = Sort(
        fields={"rank": "排名", "enterprise__name": "企业", "land_mu": "用地（亩）", "score": "总分"},
        default="rank",
    )

    class Meta:
        model = EvaluationResult
        fields: list[str] = []

    @classmethod
    def of_run(cls, principal: Principal, run: Evaluation) -> QuerySet[EvaluationResult]:
        return selectors.results(principal, run)

    def search(self, rows: QuerySet[EvaluationResult], name: str, value: str) -> QuerySet[EvaluationResult]:
        q = value.strip()
        return rows.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__startswith=q.upper()))

    def in_industry(
        self, rows: QuerySet[EvaluationResult], name: str, value: str
    ) -> QuerySet[EvaluationResult]:
        code = value.split()[0] if value.strip() else ""
        return rows.filter(industry_code__startswith=industries.normalise(code))
