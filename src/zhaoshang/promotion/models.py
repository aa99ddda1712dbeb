"""项目储备库: the county's own proposals, packaged for investors and matched in the end to a project.

The tables were created by the projects app and keep their names (`db_table`): moving the models
here moved no data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhaoshang.core.fields import LAND, MONEY
from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.core.versioning import Versioned
from zhaoshang.org.models import Unit
from zhaoshang.projects.models import Project

MATURITIES = [("idea", "项目构想"), ("proposal", "项目建议书"), ("feasibility", "可行性研究")]
PROMOTION_STATUSES = [
    ("reserve", "储备"),
    ("promoting", "推介中"),
    ("matched", "已对接"),
    ("closed", "已关闭"),
]
# The labels these models were audited under while they lived in the projects app.
FORMER_LABELS = {
    "promotion.promotionproject": "projects.promotionproject",
    "promotion.promotionfile": "projects.promotionfile",
}


class PromotionProject(Versioned):
    """项目储备库: a county-side proposal packaged for investors, matched in the end to a `Project`."""

    name = models.CharField("项目名称", max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="策划单位")
    industry_code = models.CharField("行业代码", max_length=4, blank=True)
    chain_node = models.CharField("产业链环节", max_length=100, blank=True)
    estimated_investment = models.DecimalField("估算投资（万元）", **MONEY)
    land_mu = models.DecimalField("用地（亩）", **LAND)
    maturity = models.CharField("策划深度", max_length=12, choices=MATURITIES, default="idea")
    description = models.TextField("项目简介", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=PROMOTION_STATUSES, default="reserve", db_index=True
    )
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="promotions",
        verbose_name="对接项目",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="unit__path")

    class Meta:
        db_table = "projects_promotionproject"
        ordering = ["-created_at", "-pk"]
        verbose_name = "储备项目"

    def __str__(self) -> str:
        return self.name


class PromotionFile(models.Model):
    promotion = models.ForeignKey(PromotionProject, on_delete=models.PROTECT, related_name="files")
    filename = models.CharField("文件名", max_length=200)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path=("promotion__unit__path",))

    class Meta:
        db_table = "projects_promotionfile"

    def __str__(self) -> str:
        return self.filename
