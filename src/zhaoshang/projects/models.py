"""招商项目: the project, its stage moves with their evidence, and its follow-ups."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction

from zhaoshang.core.corrections import Correctable
from zhaoshang.core.fields import LAND, MONEY
from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.core.versioning import Versioned
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org.models import Unit
from zhaoshang.projects.engines.lifecycle import DROP_REASONS, EVIDENCE_LABELS, STAGE_LABELS, Stage

STAGES = [(s.value, label) for s, label in STAGE_LABELS.items()]
CHANNELS = [
    ("team", "小分队招商"),
    ("investor_referral", "以商招商"),
    ("commissioned", "委托招商"),
    ("agent", "中介招商"),
    ("chamber", "商会招商"),
    ("hometown", "乡友招商"),
    ("online", "网络招商"),
    ("expo", "推介会"),
]
# 投资方类别 (speech 003: "引进央企、国企、民企500强和行业龙头企业"); the three 500 强 first.
RANKS = [
    ("", "—"),
    ("global500", "世界500强"),
    ("china500", "中国500强"),
    ("private500", "中国民营500强"),
    ("central_soe", "央企"),
    ("state_owned", "国企"),
    ("leader", "行业龙头"),
]
RANKS_500 = ("global500", "china500", "private500")
# 项目类型 (speech 002: "从技改提质、扩建增量、新上开发、引进填补四个方面入手抓项目策划").
PROJECT_TYPES = [
    ("upgrade", "技改提质"),
    ("expansion", "扩建增量"),
    ("new", "新上开发"),
    ("import", "引进填补"),
]
REVIEW_DECISIONS = [("", "未预审"), ("pass", "通过"), ("conditional", "有条件通过"), ("reject", "不通过")]


class ProjectQuerySet(ScopedQuerySet):
    def for_list(self) -> ProjectQuerySet:
        return self.select_related("town", "park", "lead_unit", "responsible_leader")


class Project(Versioned):
    name = models.CharField("名称", max_length=200)
    investor_name = models.CharField("投资方", max_length=200)
    investor_origin = models.CharField("投资方来源地", max_length=60, blank=True)
    investor_rank = models.CharField("投资方类别", max_length=12, choices=RANKS, blank=True)
    project_type = models.CharField("项目类型", max_length=10, choices=PROJECT_TYPES, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name="落地企业",
    )
    channel = models.CharField("招商方式", max_length=20, choices=CHANNELS)
    referrer = models.CharField("引荐人或单位", max_length=100, blank=True)
    industry_code = models.CharField("行业代码", max_length=4, blank=True)
    description = models.TextField("项目简介", blank=True)
    investor_untrustworthy = models.BooleanField("投资方为失信被执行人", default=False)
    floor_area_ratio = models.DecimalField("容积率", max_digits=6, decimal_places=2, null=True, blank=True)
    energy_tce = models.DecimalField("预计年综合能耗（吨标准煤）", **MONEY)
    planned_investment = models.DecimalField("计划投资（万元）", **MONEY)
    contract_amount = models.DecimalField("合同金额（万元）", **MONEY)
    land_needed_mu = models.DecimalField("拟用地（亩）", **LAND)
    land_area_mu = models.DecimalField("供地面积（亩）", **LAND)
    promised_output = models.DecimalField("承诺年产值（万元）", **MONEY)
    promised_tax = models.DecimalField("承诺年税收（万元）", **MONEY)
    registered_capital = models.DecimalField("注册资本（万元）", **MONEY)
    promised_start = models.DateField("约定开工日期", null=True, blank=True)
    promised_production = models.DateField("约定投产日期", null=True, blank=True)
    moved_in_on = models.DateField("入驻标准厂房日期", null=True, blank=True)
    in_standard_building = models.BooleanField(
        "入驻标准厂房（租用厂房，不新征地）",
        default=False,
        help_text="租用标准厂房的项目不按用地门槛审查",
    )
    # What was promised at signing, frozen then: intensity, tax per 亩, output, dates (see promises.py).
    promise = models.JSONField("签约承诺", default=dict, blank=True)
    town = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="乡镇")
    park = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="园区"
    )
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位")
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="包抓领导",
    )
    member_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="责任单位")
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
    funds_in_place = models.DecimalField("实际到位资金（万元）", max_digits=16, decimal_places=4, default=0)
    # The latest follow-up's date and the next step's date it set, kept by the follow-up service
    # (services/tracking.py), so lists, filters and alerts read columns instead of aggregating.
    last_follow_up = models.DateField("最近跟进", null=True, blank=True, editable=False)
    next_date = models.DateField("下一步日期", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()
    scope = ScopeRule(unit_path=("town__path", "park__path", "lead_unit__path"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "招商项目"
        # The list's default order and every sortable column, each with the id that breaks ties.
        indexes = [
            models.Index(fields=["created_at", "id"], name="project_created"),
            models.Index(fields=["name", "id"], name="project_name"),
            models.Index(fields=["planned_investment", "id"], name="project_planned"),
            models.Index(fields=["contract_amount", "id"], name="project_contract"),
            models.Index(fields=["signed_on", "id"], name="project_signed"),
            models.Index(fields=["last_follow_up", "id"], name="project_followed"),
            models.Index(fields=["next_date"], name="project_next_step"),
        ]

    def __str__(self) -> str:
        return self.name

    def refresh_follow_up_dates(self) -> None:
        """Copy the latest follow-up's dates (by date, then by when written) onto the project.

        Derived from its follow-ups, which are audited, so it is stored without an audit event of its
        own and without a new version (an open edit form does not become stale by a follow-up).
        """
        latest = self.follow_ups.order_by("-on", "-created_at").values("on", "next_date").first()
        self.last_follow_up = latest["on"] if latest else None
        self.next_date = latest["next_date"] if latest else None
        Project.objects.filter(pk=self.pk).update(
            last_follow_up=self.last_follow_up, next_date=self.next_date
        )


PROJECT_SCOPE = ScopeRule(
    unit_path=("project__town__path", "project__park__path", "project__lead_unit__path")
)


class ProjectRecord(models.Model):
    """A record a project owns: seen by whoever sees its project, stamped when it was written.

    Each subclass declares its own `project` foreign key (each with its related name).
    """

    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = PROJECT_SCOPE

    class Meta:
        abstract = True


class RecordedBy(ProjectRecord):
    """A project's record that also keeps who wrote it."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class StageMove(RecordedBy):
    """One dated move on the project's timeline, with the reviewing unit's opinion and what it supplied."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="moves")
    source = models.CharField(max_length=14, choices=STAGES)
    target = models.CharField(max_length=14, choices=STAGES)
    on = models.DateField("日期")
    opinion = models.TextField("意见", blank=True)
    supplied = models.JSONField(default=dict)

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
    scope = PROJECT_SCOPE

    def __str__(self) -> str:
        return self.filename


class FollowUp(Correctable, RecordedBy):
    """One dated follow-up; a wrong one is corrected or withdrawn with a reason (`core.corrections`)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="follow_ups")
    on = models.DateField("日期")
    what = models.TextField("跟进情况")
    next_step = models.CharField("下一步", max_length=300, blank=True)
    next_date = models.DateField("下一步日期", null=True, blank=True)

    class Meta:
        ordering = ["-on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.project} {self.on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.project.refresh_follow_up_dates()


FUND_SOURCES = [("out_of_province", "省外内资"), ("in_province", "省内资金"), ("foreign", "外资")]
FUND_USES = [("fixed_assets", "固定资产投资"), ("working_capital", "流动资金")]


# ISO 4217 codes of the currencies foreign investment arrives in, named as a county's ledger names them.
CURRENCIES = [
    ("CNY", "人民币"),
    ("USD", "美元"),
    ("HKD", "港元"),
    ("EUR", "欧元"),
    ("JPY", "日元"),
    ("GBP", "英镑"),
    ("KRW", "韩元"),
    ("SGD", "新加坡元"),
    ("TWD", "新台币"),
    ("MOP", "澳门元"),
    ("AUD", "澳大利亚元"),
    ("CAD", "加拿大元"),
    ("CHF", "瑞士法郎"),
]


class FundArrival(Correctable, RecordedBy):
    """实际到位资金: one dated arrival of money for the project, in 万元 (RMB), with its proof.

    A wrong arrival is corrected or withdrawn with a reason (`core.corrections`); the project's running
    total counts only current rows.
    """

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="fund_arrivals")
    on = models.DateField("到位日期")
    amount = models.DecimalField("到位金额（万元）", max_digits=16, decimal_places=4)
    source = models.CharField("资金来源", max_length=16, choices=FUND_SOURCES)
    currency = models.CharField("币种", max_length=3, default="CNY", choices=CURRENCIES)
    foreign_amount = models.DecimalField(
        "外币金额（万）", max_digits=16, decimal_places=4, null=True, blank=True
    )
    exchange_rate = models.DecimalField("汇率", max_digits=12, decimal_places=6, null=True, blank=True)
    rate_date = models.DateField("汇率日期", null=True, blank=True)
    use = models.CharField("资金用途", max_length=16, choices=FUND_USES)
    proof = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="证明材料"
    )
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        ordering = ["on", "created_at"]
        verbose_name = "到位资金"

    def __str__(self) -> str:
        return f"{self.project} {self.on} {self.amount}"


class Milestone(ProjectRecord):
    """一个方案: a step of the project's plan, with its date and owner."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="milestones")
    name = models.CharField("节点", max_length=200)
    due = models.DateField("计划完成日期")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="责任人",
    )
    owner_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="责任单位"
    )
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = "方案节点"

    def __str__(self) -> str:
        return self.name


class Review(ProjectRecord):
    """One submission to pre-review: the rules' verdicts and score, then the committee's decision and votes."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reviews")
    submitted_on = models.DateField("提交日期")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rules = models.JSONField("预审规则", default=dict)  # the rules as run, so the record stays readable
    verdicts = models.JSONField("逐条结论", default=list, blank=True)
    score_lines = models.JSONField("评分明细", default=list, blank=True)
    score = models.DecimalField("评分", max_digits=5, decimal_places=1, null=True, blank=True)
    suggestion = models.CharField("规则建议", max_length=12, choices=REVIEW_DECISIONS, blank=True)
    rules_passed = models.BooleanField("规则全部通过", default=False)
    vetoed = models.BooleanField("一票否决", default=False)
    decision = models.CharField("预审结论", max_length=12, choices=REVIEW_DECISIONS, blank=True)
    conditions = models.TextField("通过条件", blank=True)
    notes = models.TextField("预审意见", blank=True)
    # [{"member": "…", "vote": "pass|conditional|reject", "note": "…"}]
    votes = models.JSONField("委员表决", default=list, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = "项目预审"

    def __str__(self) -> str:
        return f"{self.project} 预审 {self.submitted_on}"


RULEBOOK_KINDS = [("review", "预审规则"), ("tracking", "跟踪时限"), ("cohorts", "批次开工要求")]


class Rulebook(models.Model):
    """Rules the coordinators keep as data: pre-review (county, or a park's own), deadlines, cohorts."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="适用单位")
    kind = models.CharField("规则类别", max_length=10, choices=RULEBOOK_KINDS)
    content = models.JSONField("规则内容")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="unit__path", covering="unit__path")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="one_rulebook_per_unit_kind")]
        verbose_name = "项目规则"

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()}"


# The 重大项目 tier, the committee's meetings and the pre-work checklist live in their own module.
from zhaoshang.projects.committee import MajorTier, Meeting, PreWork  # noqa: E402

__all__ = ["MajorTier", "Meeting", "PreWork"]
