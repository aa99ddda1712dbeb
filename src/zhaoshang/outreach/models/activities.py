"""Trips, investor visits, events and the projects signed or started at an event."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhaoshang.core.fields import MONEY
from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.core.versioning import Versioned
from zhaoshang.org.models import Unit
from zhaoshang.outreach.models.choices import COUNTY_SCOPE, EVENT_KINDS, EVENT_ROLES, REGIONS
from zhaoshang.outreach.models.contacts import Contact
from zhaoshang.projects.models import Project


class Trip(Versioned):
    """外出招商: who went where, whom they met, what it cost and the leads it brought."""

    county = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所属县")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="组织单位")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="带队领导",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="成员"
    )
    starts_on = models.DateField("出发日期")
    ends_on = models.DateField("返回日期")
    region = models.CharField("目的区域", max_length=10, choices=REGIONS)
    destination = models.CharField("目的地", max_length=60)
    purpose = models.CharField("主要任务", max_length=200)
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="trips", verbose_name="会见的联络对象"
    )
    companies_met = models.TextField("对接的企业", blank=True, help_text="每行一家")
    cost = models.DecimalField("费用（万元）", **MONEY)
    summary = models.TextField("成效", blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="unit__path", covering="county__path")

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = "外出招商"
        indexes = [
            models.Index(fields=["-starts_on", "-id"], name="trip_starts"),
            models.Index(fields=["county", "-starts_on", "-id"], name="trip_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m-%d} 赴{self.destination}"


class InvestorVisit(Versioned):
    """来访考察: an investor's visit to the county, who received them and what came of it."""

    county = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所属县")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="接待单位")
    on = models.DateField("来访日期")
    company = models.CharField("来访企业", max_length=200)
    visitors = models.CharField("来访人员", max_length=200)
    sites = models.CharField("考察地点", max_length=300, blank=True)
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="接待人员"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="陪同县领导",
    )
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name="引荐的联络对象",
    )
    outcome = models.TextField("成果", blank=True)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="所属项目"
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="unit__path", covering="county__path")

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = "来访考察"
        indexes = [
            models.Index(fields=["-on", "-id"], name="visit_on"),
            models.Index(fields=["county", "-on", "-id"], name="visit_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.company}"


class Event(Versioned):
    """推介会, 签约仪式, 集中开工/竣工仪式: the projects signed or started at it are followed one by one."""

    county = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所属县")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="主办单位")
    kind = models.CharField("活动类型", max_length=12, choices=EVENT_KINDS)
    name = models.CharField("活动名称", max_length=160)
    on = models.DateField("日期")
    place = models.CharField("地点", max_length=120)
    note = models.TextField("情况", blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = COUNTY_SCOPE

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = "招商活动"
        indexes = [
            models.Index(fields=["-on", "-id"], name="event_on"),
        ]

    def __str__(self) -> str:
        return self.name


class EventProject(models.Model):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="projects", verbose_name="活动")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name="项目")
    role = models.CharField("在活动上", max_length=10, choices=EVENT_ROLES)
    amount = models.DecimalField("签约金额（万元）", **MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "project", "role"], name="event_project_once")
        ]
        verbose_name = "活动项目"

    def __str__(self) -> str:
        return f"{self.event.name}·{self.project.name}"
