from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.core.validators import validate_phone
from zhaoshang.org.models import Unit

# 规上: yearly main-business revenue of at least 2000 万元 (国家统计局 规模以上工业企业).
ABOVE_SCALE_REVENUE = Decimal("2000")
MONEY = {"max_digits": 16, "decimal_places": 4, "null": True, "blank": True}
FIRST_YEAR, LAST_YEAR = 1990, 2100


class Qualification(models.Model):
    """高新技术企业, 专精特新 (省级), 国家级专精特新"小巨人" … as rows."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("qualification")

    def __str__(self) -> str:
        return self.name


class EnterpriseQuerySet(ScopedQuerySet):
    def for_list(self) -> EnterpriseQuerySet:
        return self.select_related("town", "park").prefetch_related("qualifications")


class Enterprise(models.Model):
    class Status(models.TextChoices):
        OPERATING = "operating", _("Operating")
        STOPPED = "stopped", _("Stopped")
        MOVED_OUT = "moved_out", _("Moved out")
        CLOSED = "closed", _("Deregistered")

    class Scale(models.TextChoices):
        ABOVE = "above", _("Above scale")
        BELOW = "below", _("Below scale")

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Pinyin initials of the name ("zjsn" for 浙江水泥), so people can search the way they type.
    name_initials = models.CharField(max_length=100, db_index=True, editable=False)
    industry_code = models.CharField(_("industry code"), max_length=4, db_index=True)
    industry_section = models.CharField(max_length=1, db_index=True, editable=False)
    town = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("town"))
    park = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("park")
    )
    land_owned_mu = models.DecimalField(
        _("land owned (mu)"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    land_leased_in_mu = models.DecimalField(
        _("land leased in (mu)"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    land_leased_out_mu = models.DecimalField(
        _("land leased out (mu)"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    qualifications = models.ManyToManyField(Qualification, blank=True, verbose_name=_("qualifications"))
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPERATING)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, validators=[validate_phone]
    )
    # Scale is derived from the latest revenue; the override is for what the statistics bureau decided.
    scale_override = models.CharField(_("scale (manual)"), max_length=5, choices=Scale.choices, blank=True)
    above_scale = models.BooleanField(_("above scale"), default=False, db_index=True, editable=False)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="enterprises", verbose_name=_("accounts")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnterpriseQuerySet.as_manager()
    scope = ScopeRule(unit_path=("town__path", "park__path"), enterprise="pk")

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")

    def __str__(self) -> str:
        return self.name

    @property
    def land_total_mu(self) -> Decimal | None:
        """Owned plus leased in minus leased out; the evaluation scheme may count it differently."""
        parts = [self.land_owned_mu, self.land_leased_in_mu]
        if all(p is None for p in parts):
            return None
        return sum((p or Decimal(0) for p in parts), Decimal(0)) - (self.land_leased_out_mu or Decimal(0))


class EnterpriseYearQuerySet(ScopedQuerySet):
    pass


class EnterpriseYear(models.Model):
    """One enterprise's figures for one year. A missing figure stays None, never 0."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    output_value = models.DecimalField(_("output value"), **MONEY)
    value_added = models.DecimalField(_("value added"), **MONEY)
    revenue = models.DecimalField(_("main business revenue"), **MONEY)
    tax = models.DecimalField(_("tax paid"), **MONEY)
    energy_tce = models.DecimalField(_("energy use (tce)"), **MONEY)
    electricity_10k_kwh = models.DecimalField(_("electricity (10,000 kWh)"), **MONEY)
    emission_equivalent = models.DecimalField(_("pollutant emission equivalents"), **MONEY)
    rd_spending = models.DecimalField(_("R&D spending"), **MONEY)
    employees = models.PositiveIntegerField(_("average employees"), null=True, blank=True)
    land_area_mu = models.DecimalField(
        _("land used (mu)"), max_digits=12, decimal_places=4, null=True, blank=True
    )

    objects = EnterpriseYearQuerySet.as_manager()
    scope = ScopeRule(
        unit_path=("enterprise__town__path", "enterprise__park__path"), enterprise="enterprise_id"
    )

    class Meta:
        ordering = ["enterprise", "year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="one_row_per_enterprise_year")
        ]
        verbose_name = _("yearly figures")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


FIGURES = (
    "output_value",
    "value_added",
    "revenue",
    "tax",
    "energy_tce",
    "electricity_10k_kwh",
    "emission_equivalent",
    "rd_spending",
    "employees",
    "land_area_mu",
)
