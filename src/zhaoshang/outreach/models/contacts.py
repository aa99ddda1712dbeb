"""Contacts, their encounters, the overseas offices' links and the commission agreements."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.core.versioning import Versioned
from zhaoshang.org.models import Unit
from zhaoshang.outreach.models.choices import CONTACT_KINDS, COUNTY_SCOPE, ENCOUNTER_KINDS, REGIONS
from zhaoshang.projects.models import Project


class Contact(Versioned):
    """An organisation or person the county recruits through, kept by a unit (and a leader)."""

    county = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所属县")
    kind = models.CharField("类别", max_length=16, choices=CONTACT_KINDS)
    name = models.CharField("名称或姓名", max_length=120)
    organisation = models.CharField("所在单位及职务", max_length=160, blank=True)
    home_town = models.CharField("家乡（乡镇）", max_length=60, blank=True)
    based_in = models.CharField("现在所在地", max_length=60, blank=True)
    region = models.CharField("所在区域", max_length=10, choices=REGIONS, default="other")
    industry = models.CharField("主要行业", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    keeper_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="联系单位")
    keeper_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="联系县领导",
    )
    linked_units = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="+",
        verbose_name="挂钩联系单位",
        help_text="挂钩联系本商会、协会的招商组或乡镇",
    )
    note = models.TextField("情况简介", blank=True)
    active = models.BooleanField("保持联系", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = COUNTY_SCOPE

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "招商联络对象"
        indexes = [
            models.Index(fields=["county", "kind", "name"], name="contact_kind_name"),
            models.Index(fields=["name", "id"], name="contact_name"),
            models.Index(fields=["-created_at", "-id"], name="contact_recent"),
        ]

    def __str__(self) -> str:
        return self.name


class Encounter(models.Model):
    """A meeting, call or call-on with a contact outside a trip or visit (those are their own records)."""

    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="encounters", verbose_name="联络对象"
    )
    on = models.DateField("日期")
    kind = models.CharField("方式", max_length=8, choices=ENCOUNTER_KINDS, default="meeting")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    summary = models.TextField("情况")

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="contact__county__path", covering="contact__county__path")

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = "联络记录"

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.contact.name}"


class OfficeLink(models.Model):
    """A 驻外招商分局 and the leadership body and county leader it answers to (speech 000)."""

    office = models.OneToOneField(
        Unit, on_delete=models.PROTECT, related_name="office_link", verbose_name="驻外招商分局"
    )
    body = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="牵头领导机关")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="联系县领导"
    )
    region = models.CharField("负责区域", max_length=10, choices=REGIONS)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="office__path", covering="office__jurisdiction_path")

    class Meta:
        verbose_name = "驻外招商分局挂钩"

    def __str__(self) -> str:
        return f"{self.office.name}挂钩"


class Agreement(Versioned):
    """委托招商协议 with a chamber or an agent: its term, scope, reward terms and the projects it brought."""

    county = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所属县")
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="agreements", verbose_name="受托方"
    )
    title = models.CharField("协议名称", max_length=160)
    signed_on = models.DateField("签订日期")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("截止日期")
    scope_text = models.TextField("委托范围")
    reward_terms = models.TextField("奖励条款")
    projects = models.ManyToManyField(Project, blank=True, related_name="+", verbose_name="引进的项目")
    withdrawn_reason = models.CharField("终止原因", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = COUNTY_SCOPE

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = "委托招商协议"
        indexes = [
            models.Index(fields=["-signed_on", "-id"], name="agreement_signed"),
            models.Index(fields=["ends_on", "id"], name="agreement_ends"),
        ]

    def __str__(self) -> str:
        return self.title
