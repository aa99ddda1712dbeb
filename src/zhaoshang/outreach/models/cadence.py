"""The cadence norms (周外出、月会商、季签约) and the heads' self-reported recruiting time."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.org.models import Unit, UnitKind
from zhaoshang.outreach.models.choices import ACTIVITIES, COUNTY_SCOPE, PERIODS


class CadenceNorm(models.Model):
    """周外出、月会商、季签约 as data: how often a kind of unit (or each leader) must do an activity."""

    county = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所属县")
    subject = models.CharField(
        "适用对象", max_length=16, help_text="单位类型代码（team、town…）或 leader（县级领导）"
    )
    activity = models.CharField("活动", max_length=12, choices=ACTIVITIES)
    period = models.CharField("周期", max_length=8, choices=PERIODS)
    minimum = models.DecimalField(
        "不少于", max_digits=6, decimal_places=1, help_text="次数；招商时间占比为百分数"
    )

    objects = ScopedQuerySet.as_manager()
    scope = COUNTY_SCOPE

    class Meta:
        ordering = ["subject", "activity", "pk"]
        verbose_name = "招商工作频次要求"
        constraints = [
            models.UniqueConstraint(
                fields=["county", "subject", "activity", "period"], name="cadence_norm_once"
            )
        ]

    def __str__(self) -> str:
        who = UnitKind.objects.filter(code=self.subject).values_list("name", flat=True).first() or "县级领导"
        return f"{who}{self.get_period_display()}{self.get_activity_display()}要求"


class RecruitingTime(models.Model):
    """A unit head's self-reported days on recruiting in a month, against their working days."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填报人"
    )
    month = models.DateField("月份")
    working_days = models.DecimalField("工作日（天）", max_digits=4, decimal_places=1)
    recruiting_days = models.DecimalField("用于招商（天）", max_digits=4, decimal_places=1)
    note = models.CharField("主要招商工作", max_length=200, blank=True)
    filed_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="unit__path", covering="unit__jurisdiction_path")

    class Meta:
        ordering = ["-month", "unit", "pk"]
        verbose_name = "招商时间自报"
        constraints = [
            models.UniqueConstraint(fields=["unit", "person", "month"], name="recruiting_time_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit.name}{self.month:%Y年%m月}招商时间"
