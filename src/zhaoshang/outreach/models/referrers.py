"""Where a project came from, the referrer claims, and the county's recognising unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.core.versioning import Versioned
from zhaoshang.org.models import Unit
from zhaoshang.outreach.models.activities import Event, InvestorVisit, Trip
from zhaoshang.outreach.models.choices import CLAIM_STATUSES, COUNTY_SCOPE
from zhaoshang.outreach.models.contacts import Agreement, Contact
from zhaoshang.projects.models import Project


class ProjectOrigin(models.Model):
    """Where a project came from: the trip, visit or event that produced the lead, and the unit
    that introduced it (引入单位). One row per project; the referrer is a claim of its own."""

    project = models.OneToOneField(
        Project, on_delete=models.PROTECT, related_name="origin", verbose_name="项目"
    )
    introducing_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="引入单位"
    )
    trip = models.ForeignKey(
        Trip,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        verbose_name="来自外出招商",
    )
    visit = models.ForeignKey(
        InvestorVisit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        verbose_name="来自来访考察",
    )
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        verbose_name="来自招商活动",
    )
    agreement = models.ForeignKey(
        Agreement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        verbose_name="委托招商协议",
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path=("project__town__path", "project__park__path", "project__lead_unit__path"))

    class Meta:
        verbose_name = "项目来源"

    def __str__(self) -> str:
        return f"{self.project.name}的来源"


class ReferrerClaim(Versioned):
    """引资人认定: a unit claims (with evidence, before signing) that a contact brought the project in;
    the recognising unit (发改局) verifies and recognises it, or refuses it with a reason. At most
    one claim per project is recognised, and only when no other claim on it is still open."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name="项目")
    referrer = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="claims", verbose_name="引资人"
    )
    claimant_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="申报单位"
    )
    claimed_on = models.DateField("申报日期")
    evidence = models.TextField("引荐经过及证明材料")
    status = models.CharField(
        "认定状态", max_length=12, choices=CLAIM_STATUSES, default="claimed", db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="经办人",
    )
    decided_on = models.DateField("办理日期", null=True, blank=True)
    reason = models.CharField("意见", max_length=300, blank=True)
    migrated_from = models.CharField("原登记的引荐人", max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(
        unit_path=("project__town__path", "project__park__path", "project__lead_unit__path"),
        covering="referrer__county__path",
    )

    class Meta:
        ordering = ["-claimed_on", "-pk"]
        verbose_name = "引资人认定"
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=Q(status="recognised"), name="one_recognised_referrer"
            )
        ]
        indexes = [
            models.Index(fields=["-claimed_on", "-id"], name="claim_claimed"),
            models.Index(fields=["decided_on", "id"], name="claim_decided"),
        ]

    def __str__(self) -> str:
        return f"{self.project.name}·引资人{self.referrer.name}"


class OutreachSettings(models.Model):
    """A county's outreach settings, edited by its coordinator: the unit that recognises referrers
    (speech 000: 县发改局要做好引资人情况的认定和统计)."""

    county = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所属县")
    recognising_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="引资人认定单位"
    )

    objects = ScopedQuerySet.as_manager()
    scope = COUNTY_SCOPE

    class Meta:
        verbose_name = "招商渠道设置"

    def __str__(self) -> str:
        return f"{self.county.name}招商渠道设置"
