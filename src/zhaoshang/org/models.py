from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils import timezone

from zhaoshang.core.roles import ROLE_CHOICES
from zhaoshang.core.scoping import ScopedQuerySet, ScopeRule
from zhaoshang.core.validators import validate_phone
from zhaoshang.core.versioning import Versioned

PATH_STEP = 7  # each level of a unit path is a zero-padded id and a slash: "0000012/"


class UnitKind(models.Model):
    """省, 市, 县, 部门, 乡镇/街道, 园区, 招商小分队, 驻外招商分局 … as rows, so a deployment can add its own."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=30)
    # A jurisdiction (province, city, county) is what coordinators and leaders see the whole of.
    is_jurisdiction = models.BooleanField("行政区域", default=False)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = "单位类型"

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(ScopedQuerySet):
    def for_list(self) -> UnitQuerySet:
        return self.select_related("kind", "parent").order_by("path")


class Unit(Versioned):
    """A node of the organisation tree. `path` lists the ids from the root, so a subtree is a prefix."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT, related_name="units", verbose_name="类型")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级单位",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # Path of the nearest jurisdiction at or above this unit: what its coordinators see.
    jurisdiction_path = models.CharField(max_length=255, editable=False)
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True, validators=[validate_phone])
    address = models.CharField("地址", max_length=200, blank=True)
    description = models.TextField("简介", blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    objects = UnitQuerySet.as_manager()
    scope = ScopeRule(unit_path="path")

    class Meta:
        ordering = ["path"]
        verbose_name = "单位"

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
    display_name = models.CharField("名称", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True, validators=[validate_phone])
    title = models.CharField("职务", max_length=50, blank=True)
    # Set by an administrator's reset: the user must choose a password of their own before anything else.
    must_change_password = models.BooleanField("须修改密码", default=False, editable=False)
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now, editable=False)

    objects = UserManager()
    scope = ScopeRule(unit_path="memberships__unit__path", many=True)

    class Meta:
        verbose_name = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class Membership(models.Model):
    """A user's place in a unit, with the role they hold there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="用户")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name="单位")
    role = models.CharField("角色", max_length=20, choices=ROLE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="unit__path")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]
        verbose_name = "任职"

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class Leader(models.Model):
    """A 县级领导: someone who can be made responsible for projects and chains."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="leader", verbose_name="用户")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="leaders", verbose_name="行政区域")
    title = models.CharField("职务", max_length=50)
    rank = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeRule(unit_path="unit__path")

    class Meta:
        ordering = ["rank", "id"]
        verbose_name = "县级领导"

    def __str__(self) -> str:
        return f"{self.user}（{self.title}）"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=60)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("到期", null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords (salted, as Django stores them): none of the last
    five may be chosen again (等保 身份鉴别 a). Written by `org.passwords.PasswordHistoryValidator`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "历史密码"

    def __str__(self) -> str:
        return f"{self.user} 的历史密码"


class UserSession(models.Model):
    """Which sessions a user has open, so that a fourth log-in ends the oldest and a password
    change or an administrator's reset ends them all."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="open_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "会话"

    def __str__(self) -> str:
        return f"{self.user} 的会话"
