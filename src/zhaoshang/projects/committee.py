"""重大项目 and the committee (speech 004): the size that makes a project 重大, the pre-work checklist such a
project's task force works through, and the pre-review committee's meetings that decide submissions as a batch.

Imported by `projects.models`, so Django finds these tables as the projects app's.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from zhaoshang.core.fields import MONEY
from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.org.models import Unit

# 重大项目: 计划投资 at or above this many 万元, unless a county sets its own (5 亿元).
DEFAULT_MAJOR_INVESTMENT = Decimal(50000)

# Speech 004: "特别重大的项目要成立专班，做深做实前期工作，提前掌握项目选址、土地收储、规划指标、土地成本、立项审批等情况".
PRE_WORK_ITEMS = [
    ("site", "选址"),
    ("land_reserve", "土地收储"),
    ("planning", "规划指标"),
    ("land_cost", "土地成本"),
    ("approval", "立项审批"),
]


class MajorTier(models.Model):
    """A county's (or a park's, a town's) 重大项目 threshold, kept as data a coordinator edits in a form."""

    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="适用单位")
    min_investment = models.DecimalField("重大项目计划投资下限（万元）", **MONEY)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="unit__path", covering="unit__path")

    class Meta:
        verbose_name = "重大项目标准"

    def __str__(self) -> str:
        return f"{self.unit} 重大项目标准"


class PreWork(models.Model):
    """One item of a 重大项目's pre-work checklist, with its planned and done dates."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="pre_work")
    item = models.CharField("前期工作", max_length=14, choices=PRE_WORK_ITEMS)
    planned_on = models.DateField("计划完成日期", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("情况说明", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path=("project__town__path", "project__park__path", "project__lead_unit__path"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "item"], name="one_pre_work_item")]
        verbose_name = "前期工作"

    def __str__(self) -> str:
        return f"{self.project} {self.get_item_display()}"


class Meeting(models.Model):
    """预审委员会会议: 发改局 collects submitted projects into one meeting, whose members decide each."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="召集单位")
    on = models.DateField("会议日期")
    place = models.CharField("会议地点", max_length=100, blank=True)
    agenda = models.TextField("会议议程", blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name="参会委员")
    reviews = models.ManyToManyField("projects.Review", related_name="meetings", verbose_name="上会项目")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="召集人"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # Seen by the convening unit's subtree and by whoever sees one of the projects on its agenda.
    scope = ScopeRule(
        unit_path=(
            "unit__path",
            "reviews__project__town__path",
            "reviews__project__park__path",
            "reviews__project__lead_unit__path",
        ),
        many=True,
    )

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["on", "id"], name="meeting_on")]
        verbose_name = "预审会议"

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} 预审会议"
