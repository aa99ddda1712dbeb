from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.roles import ROLE_CHOICES
from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.core.validators import validate_phone

PATH_STEP = 7  # each level of a unit path is a zero-padded id and a slash: "0000012/"


class UnitKind(models.Model):
    """省, 市, 县, 部门, 乡镇/街道, 园区, 招商小分队, 驻外招商分局 … as rows, so a deployment can add its own."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30)
    # A jurisdiction (province, city, county) is what coordinators and leaders see the whole of.
    is_jurisdiction = models.BooleanField(_("jurisdiction"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("unit kind")

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(ScopedQuerySet):
    def for_list(self) -> UnitQuerySet:
        return self.select_related("kind", "parent").order_by("path")


class Unit(models.Model):
    """A node of the organisation tree. `path` lists the ids from the root, so a subtree is a prefix."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT, related_name="units", verbose_name=_("kind"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # Path of the nearest jurisdiction at or above this unit: what its coordinators see.
    jurisdiction_path = models.CharField(max_length=255, editable=False)
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()
    scope = ScopeRule(unit_path="path")

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class UserQuerySet(ScopedQuerySet):
    pass


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    display_name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    title = models.CharField(_("post"), max_length=50, blank=True)

    objects = UserManager()
    scope = ScopeRule(unit_path="memberships__unit__path", many=True)

    class Meta:
        verbose_name = _("user")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username


class Membership(models.Model):
    """A user's place in a unit, with the role they hold there."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="unit__path")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]
        verbose_name = _("membership")

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class Leader(models.Model):
    """A 县级领导: someone who can be made responsible for projects and chains."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="leader", verbose_name=_("user"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="leaders", verbose_name=_("jurisdiction")
    )
    title = models.CharField(_("post"), max_length=50)
    rank = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="unit__path")

    class Meta:
        ordering = ["rank", "id"]
        verbose_name = _("leader")

    def __str__(self) -> str:
        return f"{self.user}（{self.title}）"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
