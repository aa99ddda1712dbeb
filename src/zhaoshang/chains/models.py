"""产业链链长制: chains with their chief, nodes, placements, target companies, 五单 and monthly reports.

A chain belongs to a county (`county`); everyone in the county reads it (the scope's `covering`), and
its lead unit and the county's coordinators change it (checked in the services).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhaoshang.core.fields import MONEY
from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.core.versioning import Versioned
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org.models import Unit
from zhaoshang.projects.models import Project

SEGMENTS = [("upstream", "上游"), ("midstream", "中游"), ("downstream", "下游")]
NODE_STATUSES = [("strong", "强链"), ("weak", "补链（薄弱）"), ("missing", "断点（缺失）")]
STRENGTHS = [
    ("global500", "世界500强"),
    ("china500", "中国500强"),
    ("private500", "中国民营500强"),
    ("leader", "行业龙头"),
    ("other", "其他"),
]
MODES = [("anchor", "龙头带动"), ("supporting", "产业配套"), ("extension", "链条延伸")]
TARGET_STATUSES = [
    ("not_contacted", "未接触"),
    ("contacted", "已接触"),
    ("visited", "已拜访"),
    ("negotiating", "洽谈中"),
    ("converted", "已转为项目"),
    ("dropped", "已放弃"),
]
PROBLEM_STATUSES = [("open", "待解决"), ("in_progress", "推进中"), ("solved", "已解决")]
COMMITMENT_KINDS = [("sign", "本月签约"), ("land", "本月落地（开工）")]

COUNTY_SCOPE = ScopeRule(unit_path="county__path", covering="county__path")


class Cluster(models.Model):
    """产业集群: chains grouped under one output target (speech 000: 四个总产值超 200 亿元的产业集群)."""

    county = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所属县")
    name = models.CharField("集群名称", max_length=60)
    output_target = models.DecimalField("产值目标（万元）", **MONEY)

    objects = ScopedQuerySet.as_manager()
    scope = COUNTY_SCOPE

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "产业集群"

    def __str__(self) -> str:
        return self.name


class Chain(Versioned):
    county = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所属县")
    name = models.CharField("产业链名称", max_length=60)
    cluster = models.ForeignKey(
        Cluster,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chains",
        verbose_name="产业集群",
    )
    chief = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="链长"
    )
    deputy_chiefs = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="副链长"
    )
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位")
    member_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="责任单位")
    anchors = models.ManyToManyField(Enterprise, blank=True, related_name="+", verbose_name="链主企业")
    output_target = models.DecimalField("年度产值目标（万元）", **MONEY)
    # 准入门槛: applied by the pre-review to projects on the chain, beside the unit's own rules.
    min_investment = models.DecimalField("准入：计划投资不低于（万元）", **MONEY)
    min_intensity = models.DecimalField("准入：投资强度不低于（万元/亩）", **MONEY)
    min_tax_per_mu = models.DecimalField("准入：亩均税收不低于（万元/亩）", **MONEY)
    max_energy_per_output = models.DecimalField(
        "准入：单位产值能耗不高于（吨标准煤/万元）", max_digits=12, decimal_places=4, null=True, blank=True
    )
    target_stale_days = models.PositiveSmallIntegerField(
        "目标企业停滞提醒（天）", default=60, help_text="目标企业在同一对接状态停留超过这些天，列为逾期"
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    objects = ScopedQuerySet.as_manager()
    scope = COUNTY_SCOPE

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "产业链"
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="chain_name_per_county")]

    def __str__(self) -> str:
        return self.name


class ChainNode(models.Model):
    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="nodes", verbose_name="产业链")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级环节",
    )
    segment = models.CharField("链段", max_length=10, choices=SEGMENTS)
    name = models.CharField("环节名称", max_length=60)
    industry_codes = models.CharField(
        "行业代码", max_length=200, blank=True, help_text="GB/T 4754 代码，逗号分隔"
    )
    keywords = models.CharField("关键词", max_length=200, blank=True, help_text="企业名称中的词，逗号分隔")
    status = models.CharField("环节状态", max_length=8, choices=NODE_STATUSES, default="weak")
    status_reason = models.CharField("状态依据", max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="chain__county__path", covering="chain__county__path")

    class Meta:
        ordering = ["chain", "segment", "sort_order", "pk"]
        verbose_name = "产业链环节"

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.name}"

    @property
    def codes(self) -> list[str]:
        return [c.strip() for c in self.industry_codes.replace("，", ",").split(",") if c.strip()]

    @property
    def words(self) -> list[str]:
        return [w.strip() for w in self.keywords.replace("，", ",").split(",") if w.strip()]


class Placement(models.Model):
    """Who confirmed that a record sits on a node, and when."""

    node = models.ForeignKey(ChainNode, on_delete=models.PROTECT, related_name="+", verbose_name="环节")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="确认人"
    )
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)

    class Meta:
        abstract = True


class NodeEnterprise(Placement):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="chain_nodes", verbose_name="企业"
    )
    node = models.ForeignKey(
        ChainNode, on_delete=models.PROTECT, related_name="enterprises", verbose_name="环节"
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path=("enterprise__town__path", "enterprise__park__path"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node", "enterprise"], name="enterprise_once_per_node")
        ]

    def __str__(self) -> str:
        return f"{self.node_id}:{self.enterprise_id}"


class NodeProject(Placement):
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="chain_nodes", verbose_name="项目"
    )
    node = models.ForeignKey(
        ChainNode, on_delete=models.PROTECT, related_name="projects", verbose_name="环节"
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path=("project__town__path", "project__park__path", "project__lead_unit__path"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["node", "project"], name="project_once_per_node")]

    def __str__(self) -> str:
        return f"{self.node_id}:{self.project_id}"


class TargetCompany(Versioned):
    """招商清单: a company the chain wants, followed from first contact until it becomes a project."""

    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="targets", verbose_name="产业链")
    node = models.ForeignKey(ChainNode, on_delete=models.PROTECT, related_name="targets", verbose_name="环节")
    name = models.CharField("企业名称", max_length=200)
    location = models.CharField("所在地", max_length=60, blank=True)
    strength = models.CharField("企业类别", max_length=12, choices=STRENGTHS, default="other")
    fit = models.CharField("契合理由", max_length=300, blank=True)
    mode = models.CharField("招商模式", max_length=12, choices=MODES, default="supporting")
    team = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="责任招商组"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="联系县领导",
    )
    status = models.CharField(
        "对接状态", max_length=14, choices=TARGET_STATUSES, default="not_contacted", db_index=True
    )
    status_since = models.DateField("进入本状态日期")
    drop_reason = models.CharField("放弃原因", max_length=300, blank=True)
    project = models.OneToOneField(
        Project,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chain_target",
        verbose_name="转化项目",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="chain__county__path", covering="chain__county__path")

    class Meta:
        ordering = ["chain", "node", "name", "pk"]
        verbose_name = "目标企业"

    def __str__(self) -> str:
        return self.name


class ChainPolicy(models.Model):
    """政策清单: an editable list now; the policy service links here when it lands."""

    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="policies", verbose_name="产业链")
    title = models.CharField("政策名称", max_length=200)
    issuer = models.CharField("发文单位", max_length=100, blank=True)
    document_no = models.CharField("文号", max_length=60, blank=True)
    summary = models.TextField("政策要点", blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    withdrawn = models.BooleanField("已撤下", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="chain__county__path", covering="chain__county__path")

    class Meta:
        ordering = ["chain", "-created_at", "-pk"]
        verbose_name = "产业链政策"

    def __str__(self) -> str:
        return self.title


class ChainProblem(Versioned):
    """问题清单: a problem raised on the chain, with the unit that owns it and its deadline."""

    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="problems", verbose_name="产业链")
    node = models.ForeignKey(
        ChainNode, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="环节"
    )
    title = models.CharField("问题", max_length=200)
    description = models.TextField("具体情况", blank=True)
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="责任单位")
    deadline = models.DateField("办结时限")
    status = models.CharField("状态", max_length=12, choices=PROBLEM_STATUSES, default="open", db_index=True)
    resolution = models.TextField("解决情况", blank=True)
    raised_on = models.DateField("提出日期")

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="chain__county__path", covering="chain__county__path")

    class Meta:
        ordering = ["chain", "status", "deadline", "pk"]
        verbose_name = "产业链问题"

    def __str__(self) -> str:
        return self.title


class WorkPlan(models.Model):
    """工作方案: one row per saved version of a chain's plan for a year; nothing is overwritten."""

    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="plans", verbose_name="产业链")
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField("版本")
    goals = models.TextField("工作目标")
    measures = models.TextField("工作措施")
    targets = models.TextField("目标企业", blank=True)
    note = models.CharField("修改说明", max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="修改人"
    )
    at = models.DateTimeField("修改时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="chain__county__path", covering="chain__county__path")

    class Meta:
        ordering = ["chain", "-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["chain", "year", "number"], name="plan_version_once")]
        verbose_name = "产业链工作方案"

    def __str__(self) -> str:
        return f"{self.chain.name} {self.year} 年工作方案（第 {self.number} 版）"


class Meeting(models.Model):
    """The month's 推进会: reports are due by `due_on`; when it is held they are locked."""

    county = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所属县")
    month = models.DateField("月份")  # the first day of the month
    due_on = models.DateField("报告截止日期")
    held_on = models.DateField("召开日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = COUNTY_SCOPE

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["county", "month"], name="meeting_once_a_month")]
        verbose_name = "产业链推进会"

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月}产业链推进会"


class Report(models.Model):
    """链长月报: what the lead unit writes for the 推进会; the figures are the data's, frozen on locking."""

    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="reports", verbose_name="产业链")
    month = models.DateField("月份")
    achievements = models.TextField("工作成效")
    shortfalls = models.TextField("问题和不足")
    causes = models.TextField("原因分析")
    plan = models.TextField("下月计划")
    figures = models.JSONField("数据", default=dict, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填报人"
    )
    filed_at = models.DateTimeField("填报时间")
    late = models.BooleanField("逾期填报", default=False)
    locked = models.BooleanField("已锁定", default=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="chain__county__path", covering="chain__county__path")

    class Meta:
        ordering = ["chain", "-month"]
        constraints = [models.UniqueConstraint(fields=["chain", "month"], name="report_once_a_month")]
        verbose_name = "链长月报"

    def __str__(self) -> str:
        return f"{self.chain.name} {self.month:%Y年%m月}月报"


class Commitment(models.Model):
    """A project the report commits to sign or land in its month; kept or not is read from the project."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="commitments")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name="项目")
    kind = models.CharField("承诺事项", max_length=4, choices=COMMITMENT_KINDS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "project", "kind"], name="commitment_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.project_id}"
