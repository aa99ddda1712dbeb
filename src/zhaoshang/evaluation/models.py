"""亩均评价: schemes (the method as data), frozen result sets, results, objections, yearly facts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.evaluation.method import COVERS, FACT_LABELS, GRADE_LABELS
from zhaoshang.org.models import Unit

ENTERPRISE_SCOPE = {
    "unit_path": ("enterprise__town__path", "enterprise__park__path"),
    "enterprise": "enterprise_id",
}


class Scheme(models.Model):
    """How one scope evaluates one list (规上 or 规下) for one year. Editing bumps the version; each
    run keeps its own copy of the definition, so results never change when the scheme does."""

    name = models.CharField("名称", max_length=120)
    year = models.PositiveSmallIntegerField("年度")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="评价范围")
    covers = models.CharField("评价对象", max_length=5, choices=list(COVERS.items()))
    definition = models.JSONField("评价方法")
    version = models.PositiveIntegerField("版本", default=1)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="unit__path", covering="unit__path")

    class Meta:
        ordering = ["-year", "covers", "name"]
        verbose_name = "评价方案"

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class RunQuerySet(ScopedQuerySet):
    pass


class Evaluation(models.Model):
    """A frozen result set: the scheme's definition and the inputs as they were, never overwritten."""

    class Status(models.TextChoices):
        NOTICE = "notice", "公示中"
        PUBLISHED = "published", "已发布"
        SUPERSEDED = "superseded", "已作废（有新版本）"

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="runs")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="评价范围")
    year = models.PositiveSmallIntegerField("年度")
    covers = models.CharField("评价对象", max_length=5, choices=list(COVERS.items()))
    version = models.PositiveIntegerField("版本")
    scheme_version = models.PositiveIntegerField("方案版本")
    method = models.JSONField("评价时的方法")
    benchmarks = models.JSONField(default=dict)
    input_digest = models.CharField(max_length=64)
    counts = models.JSONField(default=dict)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.NOTICE)
    notice_until = models.DateField("公示截止")
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RunQuerySet.as_manager()
    # The county's coordinators see it as theirs; towns and parks below it see it too (their rows
    # are scoped again), and an enterprise reaches the runs it appears in.
    scope = ScopeRule(
        unit_path="unit__path", covering="unit__path", enterprise="results__enterprise_id", many=True
    )

    class Meta:
        ordering = ["-year", "covers", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "covers", "version"], name="one_run_version")
        ]
        verbose_name = "亩均效益评价"

    def __str__(self) -> str:
        return f"{self.year}年度{COVERS[self.covers]}亩均效益评价（第 {self.version} 版）"


class EvaluationResult(models.Model):
    run = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="results")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="evaluation_results")
    grade = models.CharField("类别", max_length=1, choices=list(GRADE_LABELS.items()), db_index=True)
    score = models.DecimalField("总分", max_digits=12, decimal_places=4, null=True)
    rank = models.PositiveIntegerField("排名", null=True)
    group_size = models.PositiveIntegerField(null=True)
    reason = models.CharField("原因", max_length=200, blank=True)
    # As they were when the run was made, so later moves and edits do not rewrite the result.
    industry_code = models.CharField(max_length=4)
    town = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey(Unit, null=True, on_delete=models.PROTECT, related_name="+")
    land_mu = models.DecimalField("用地（亩）", max_digits=12, decimal_places=4, null=True)
    tax = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    value_added = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    # Figures used, indicator values, points (and which were imputed), bonus and deduction items.
    detail = models.JSONField(default=dict)

    objects = ScopedQuerySet.as_manager()
    # Seen by the town and park it was evaluated in, through its own columns (no join to the enterprise).
    scope = ScopeRule(unit_path=("town__path", "park__path"), enterprise="enterprise_id")

    class Meta:
        ordering = ["run", "rank"]
        constraints = [models.UniqueConstraint(fields=["run", "enterprise"], name="one_result_per_run")]
        indexes = [models.Index(fields=["run", "rank", "id"], name="result_rank")]  # the ranking's order
        verbose_name = "评价结果"

    def __str__(self) -> str:
        return f"{self.enterprise} {self.run.year} {self.grade}"

    @property
    def tax_per_mu(self) -> Decimal | None:
        if self.tax is None or not self.land_mu:
            return None
        return (self.tax / self.land_mu).quantize(Decimal("0.01"))


class Objection(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        UPHELD = "upheld", "异议成立"
        REJECTED = "rejected", "异议不成立"

    result = models.ForeignKey(
        EvaluationResult, on_delete=models.PROTECT, related_name="objections", verbose_name="评价结果"
    )
    text = models.TextField("异议")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField("处理意见", blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提出人"
    )
    filed_at = models.DateTimeField("提出时间", auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="处理人",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(
        unit_path=("result__enterprise__town__path", "result__enterprise__park__path"),
        enterprise="result__enterprise_id",
    )

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = "异议"

    def __str__(self) -> str:
        return f"{self.result.enterprise} {self.get_status_display()}"


class YearFact(models.Model):
    """What a scheme may count for or against an enterprise's year: accidents, tenants, a project
    still under construction."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="year_facts")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("情形", max_length=30, choices=list(FACT_LABELS.items()))
    count = models.PositiveIntegerField("次数", default=1)
    note = models.CharField("说明", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(**ENTERPRISE_SCOPE)

    class Meta:
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "kind"], name="one_fact_per_kind")
        ]
        verbose_name = "年度加减分情形"

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} {self.get_kind_display()}"
