from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from zhaoshang.core.corrections import Withdrawable
from zhaoshang.core.fields import MONEY
from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.core.validators import validate_phone
from zhaoshang.core.versioning import Versioned
from zhaoshang.org.models import Unit

# 规上: yearly main-business revenue of at least 2000 万元 (国家统计局 规模以上工业企业).
ABOVE_SCALE_REVENUE = Decimal("2000")
# 亿元企业: yearly main-business revenue of at least 1 亿元 (10000 万元).
HUNDRED_MILLION_REVENUE = Decimal("10000")
# A qualification that expires within this many days is flagged on the enterprise page.
EXPIRY_NOTICE_DAYS = 90
FIRST_YEAR, LAST_YEAR = 1990, 2100


class Qualification(models.Model):
    """高新技术企业, 专精特新 (省级), 国家级专精特新"小巨人" … as rows."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = "资质"

    def __str__(self) -> str:
        return self.name


class EnterpriseQuerySet(ScopedQuerySet):
    def for_list(self) -> EnterpriseQuerySet:
        return self.select_related("town", "park").prefetch_related("qualifications")


class Enterprise(Versioned):
    class Status(models.TextChoices):
        OPERATING = "operating", "在营"
        STOPPED = "stopped", "停产"
        MOVED_OUT = "moved_out", "迁出"
        CLOSED = "closed", "注销"

    class Scale(models.TextChoices):
        ABOVE = "above", "规上"
        BELOW = "below", "规下"

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200)
    # Pinyin initials of the name ("zjsn" for 浙江水泥), so people can search the way they type.
    name_initials = models.CharField(max_length=100, db_index=True, editable=False)
    industry_code = models.CharField("行业代码", max_length=4, db_index=True)
    industry_section = models.CharField(max_length=1, db_index=True, editable=False)
    town = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所在乡镇")
    park = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="所在园区"
    )
    land_owned_mu = models.DecimalField(
        "自有用地（亩）", max_digits=12, decimal_places=4, null=True, blank=True
    )
    land_leased_in_mu = models.DecimalField(
        "租入用地（亩）", max_digits=12, decimal_places=4, null=True, blank=True
    )
    land_leased_out_mu = models.DecimalField(
        "出租用地（亩）", max_digits=12, decimal_places=4, null=True, blank=True
    )
    qualifications = models.ManyToManyField(
        Qualification, blank=True, through="EnterpriseQualification", verbose_name="资质"
    )
    founded_on = models.DateField("成立日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPERATING)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True, validators=[validate_phone])
    # Scale is derived from the latest revenue; the override is for what the statistics bureau decided.
    scale_override = models.CharField("规模（人工认定）", max_length=5, choices=Scale.choices, blank=True)
    above_scale = models.BooleanField("规上", default=False, db_index=True, editable=False)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="enterprises", verbose_name="企业账号"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnterpriseQuerySet.as_manager()
    scope = ScopeRule(unit_path=("town__path", "park__path"), enterprise="pk")

    class Meta:
        ordering = ["name"]
        verbose_name = "企业"
        # The list's default order and its sortable columns, each with the id that breaks ties.
        indexes = [
            models.Index(fields=["name", "id"], name="enterprise_name"),
            models.Index(fields=["founded_on", "id"], name="enterprise_founded"),
            models.Index(fields=["industry_code", "id"], name="enterprise_industry"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def land_total_mu(self) -> Decimal | None:
        """Owned plus leased in minus leased out; the evaluation scheme may count it differently."""
        parts = [self.land_owned_mu, self.land_leased_in_mu]
        if all(p is None for p in parts):
            return None
        return sum((p or Decimal(0) for p in parts), Decimal(0)) - (self.land_leased_out_mu or Decimal(0))


class EnterpriseQualification(models.Model):
    """One qualification an enterprise holds, with when it was awarded and until when it is valid."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, verbose_name="企业")
    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, verbose_name="资质")
    awarded_on = models.DateField("认定日期", null=True, blank=True)
    expires_on = models.DateField("有效期至", null=True, blank=True)

    class Meta:
        # The table the plain many-to-many relation had: existing links keep their rows.
        db_table = "enterprises_enterprise_qualifications"
        unique_together = [("enterprise", "qualification")]
        verbose_name = "企业资质"

    def __str__(self) -> str:
        return f"{self.enterprise} {self.qualification}"

    def expiry_note(self, today: dt.date) -> str:
        """ "已过期", "将于 Y-m-d 到期" within 90 days, "" otherwise (or without an expiry date)."""
        if self.expires_on is None:
            return ""
        if self.expires_on < today:
            return "已过期"
        if self.expires_on <= today + dt.timedelta(days=EXPIRY_NOTICE_DAYS):
            return f"将于 {self.expires_on:%Y-%m-%d} 到期"
        return ""


class EnterpriseYear(Versioned, Withdrawable):
    """One enterprise's figures for one year. A missing figure stays None, never 0.

    A wrong year is corrected in place (a versioned edit with a reason) or withdrawn with a reason
    (`core.corrections`): `objects` leaves withdrawn rows out of every count; `all_rows` keeps them
    for the enterprise's page. 规上 is kept per year: `above_scale` is derived when the year is saved,
    from the year's override if recorded, else from its revenue (None while the revenue is missing).
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    output_value = models.DecimalField("工业总产值（万元）", **MONEY)
    value_added = models.DecimalField("工业增加值（万元）", **MONEY)
    revenue = models.DecimalField("主营业务收入（万元）", **MONEY)
    tax = models.DecimalField("实缴税金（万元）", **MONEY)
    energy_tce = models.DecimalField("综合能耗（吨标准煤）", **MONEY)
    electricity_10k_kwh = models.DecimalField("用电量（万千瓦时）", **MONEY)
    emission_equivalent = models.DecimalField("主要污染物排放当量（吨）", **MONEY)
    rd_spending = models.DecimalField("研发经费支出（万元）", **MONEY)
    # 县级留存: the share of the taxes paid that stays with the county, read by reward and policy rules.
    county_retained_tax = models.DecimalField("县级留存税收（万元）", **MONEY)
    employees = models.PositiveIntegerField("年平均职工人数", null=True, blank=True)
    land_area_mu = models.DecimalField(
        "用地面积（亩）", max_digits=12, decimal_places=4, null=True, blank=True
    )
    scale_override = models.CharField(
        "规模（人工认定）", max_length=5, choices=Enterprise.Scale.choices, blank=True
    )
    above_scale = models.BooleanField("规上", null=True, editable=False)

    # `objects` (current rows) and `all_rows` (with the withdrawn ones) come from `Withdrawable`.
    scope = ScopeRule(
        unit_path=("enterprise__town__path", "enterprise__park__path"), enterprise="enterprise_id"
    )

    class Meta:
        ordering = ["enterprise", "year"]
        # One current row per enterprise and year; withdrawn rows stay beside a year entered anew.
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_row_per_enterprise_year",
            )
        ]
        verbose_name = "年度指标"

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    @property
    def scale_label(self) -> str:
        if self.above_scale is None:
            return ""
        return "规上" if self.above_scale else "规下"


def year_above_scale(revenue: Decimal | None, override: str) -> bool | None:
    """规上 in one year: the statistics bureau's decision if recorded, else revenue ≥ 2000 万元."""
    if override:
        return override == Enterprise.Scale.ABOVE
    if revenue is None:
        return None
    return revenue >= ABOVE_SCALE_REVENUE


FIGURES = (
    "output_value",
    "value_added",
    "revenue",
    "tax",
    "energy_tce",
    "electricity_10k_kwh",
    "emission_equivalent",
    "rd_spending",
    "county_retained_tax",
    "employees",
    "land_area_mu",
)
