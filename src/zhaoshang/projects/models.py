"""招商项目: the project, its stage moves with their evidence, and its follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org.models import Unit
from zhaoshang.projects.lifecycle import DROP_REASONS, EVIDENCE_LABELS, STAGE_LABELS, Stage

MONEY = {"max_digits": 16, "decimal_places": 4, "null": True, "blank": True}
LAND = {"max_digits": 12, "decimal_places": 4, "null": True, "blank": True}
STAGES = [(s.value, label) for s, label in STAGE_LABELS.items()]
CHANNELS = [
    ("team", "小分队招商"),
    ("business", "以商招商"),
    ("agency", "委托招商"),
    ("intermediary", "中介招商"),
    ("chamber", "商会招商"),
    ("hometown", "乡友招商"),
    ("online", "网络招商"),
    ("fair", "推介会"),
]
RANKS = [("", "—"), ("world500", "世界500强"), ("china500", "中国500强"), ("private500", "中国民营500强")]
REVIEW_DECISIONS = [("", "未预审"), ("pass", "通过"), ("conditional", "有条件通过"), ("reject", "不通过")]


class ProjectQuerySet(ScopedQuerySet):
    def for_list(self) -> ProjectQuerySet:
        return self.select_related("town", "park", "lead_unit", "leader")


class Project(models.Model):
    name = models.CharField(_("name"), max_length=200)
    investor_name = models.CharField("投资方", max_length=200)
    investor_origin = models.CharField("投资方来源地", max_length=60, blank=True)
    investor_rank = models.CharField("500强", max_length=12, choices=RANKS, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name="落地企业",
    )
    channel = models.CharField("招商方式", max_length=12, choices=CHANNELS)
    referrer = models.CharField("引荐人或单位", max_length=100, blank=True)
    industry_code = models.CharField("行业代码", max_length=4, blank=True)
    planned_investment = models.DecimalField("计划投资（万元）", **MONEY)
    contract_amount = models.DecimalField("合同金额（万元）", **MONEY)
    land_needed_mu = models.DecimalField("拟用地（亩）", **LAND)
    land_area_mu = models.DecimalField("供地面积（亩）", **LAND)
    promised_output = models.DecimalField("承诺年产值（万元）", **MONEY)
    promised_tax = models.DecimalField("承诺年税收（万元）", **MONEY)
    town = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="乡镇")
    park = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="园区"
    )
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="包抓领导",
    )
    task_force = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="工作专班"
    )
    stage = models.CharField("阶段", max_length=14, choices=STAGES, default=Stage.LEAD.value, db_index=True)
    stage_since = models.DateField("进入本阶段日期")
    review_decision = models.CharField("预审结论", max_length=12, choices=REVIEW_DECISIONS, blank=True)
    signed_on = models.DateField("签约日期", null=True, blank=True)
    start_date = models.DateField("开工日期", null=True, blank=True)
    production_date = models.DateField("投产日期", null=True, blank=True)
    full_output_date = models.DateField("达产日期", null=True, blank=True)
    drop_reason = models.CharField("退出原因", max_length=20, choices=list(DROP_REASONS.items()), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()
    scope = ScopeRule(unit_path=("town__path", "park__path", "lead_unit__path"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "招商项目"

    def __str__(self) -> str:
        return self.name


class StageMove(models.Model):
    """One dated move on the project's timeline, with the reviewing unit's opinion and what it supplied."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="moves")
    source = models.CharField(max_length=14, choices=STAGES)
    target = models.CharField(max_length=14, choices=STAGES)
    on = models.DateField("日期")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.TextField("意见", blank=True)
    supplied = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path=("project__town__path", "project__park__path", "project__lead_unit__path"))

    class Meta:
        ordering = ["on", "created_at"]

    def __str__(self) -> str:
        return f"{self.project} {STAGE_LABELS[Stage(self.source)]}→{STAGE_LABELS[Stage(self.target)]}"


class Evidence(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="evidence")
    move = models.ForeignKey(
        StageMove, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField("材料类型", max_length=20, choices=list(EVIDENCE_LABELS.items()))
    filename = models.CharField("文件名", max_length=200)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path=("project__town__path", "project__park__path", "project__lead_unit__path"))

    def __str__(self) -> str:
        return self.filename


class FollowUp(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="follow_ups")
    on = models.DateField("日期")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    what = models.TextField("跟进情况")
    next_step = models.CharField("下一步", max_length=300, blank=True)
    next_date = models.DateField("下一步日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path=("project__town__path", "project__park__path", "project__lead_unit__path"))

    class Meta:
        ordering = ["-on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.project} {self.on}"
