from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change or security event. Rows are only ever inserted; each carries the hash of the one before."""

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        TRANSITION = "transition", "状态变更"
        DELETE = "delete", "删除"
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGOUT = "logout", "退出登录"
        EXPORT = "export", "导出"
        ACCESS_DENIED = "access_denied", "拒绝访问"
        NOT_FOUND = "not_found", "范围外访问"
        REFUSALS_CAPPED = "refusals_capped", "拒绝次数达上限"

    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_repr = models.CharField("操作人", max_length=150, blank=True)
    actor_role = models.CharField("角色", max_length=30, blank=True)
    actor_unit = models.CharField("单位", max_length=200, blank=True)
    ip = models.GenericIPAddressField("地址", null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    channel = models.CharField("渠道", max_length=10, blank=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices, db_index=True)
    target_type = models.CharField("记录类型", max_length=60, blank=True, db_index=True)
    target_id = models.CharField("记录编号", max_length=64, blank=True)
    target_repr = models.CharField("记录", max_length=200, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    reason = models.TextField("原因", blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # HMAC-SHA256 of `hash` with a key kept outside the database (blank for events written before).
    hmac = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["target_type", "target_id", "seq"])]
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_type}:{self.target_id}"

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class AuditChainHead(models.Model):
    """A single row holding the newest event's seq and hash: the lock writers queue on."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # The first event sealed with an HMAC; the events before it carry only their hashes. 0: none yet.
    hmac_from = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"


class RefusalWindow(models.Model):
    """How often a user was refused in one time window: caps the refusals audited and raises the
    probing alert once. Bookkeeping, not audited itself."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "window_start"], name="refusal_window_once")]
        verbose_name = "拒绝访问计数"

    def __str__(self) -> str:
        return f"{self.user_id} {self.window_start:%H:%M} × {self.count}"


class Job(models.Model):
    """A unit of background work, claimed by a worker with a conditional update."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=60)
    params = models.JSONField("参数", default=dict, blank=True)
    key = models.CharField("幂等键", max_length=200, unique=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField("消息", max_length=300, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    worker = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = "后台任务"

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def label(self) -> str:
        from zhaoshang.core.jobs import label_of

        return label_of(self.kind)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Notification(models.Model):
    """An in-app message. (recipient, dedupe_key, day) is unique: the same alert reaches a person once a day."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=40)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    # A digest's lines, each {"title", "link", "note"}: the inbox shows each as its own link.
    items = models.JSONField("条目", default=list, blank=True)
    dedupe_key = models.CharField(max_length=200)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key", "day"], name="notification_once_a_day")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["dedupe_key", "day"], name="notification_sending"),  # notify_many
        ]
        verbose_name = "通知"

    def __str__(self) -> str:
        return self.title


def notice_kind_choices() -> list[tuple[str, str]]:
    from zhaoshang.core.notice_kinds import kind_choices

    return kind_choices()


class NotificationPreference(models.Model):
    """Whether one kind of notification reaches a user. No row: it does (every kind is on by default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类型", max_length=40, choices=notice_kind_choices)
    enabled = models.BooleanField("接收", default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]
        verbose_name = "消息设置"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{'接收' if self.enabled else '不接收'}"


class ImportBatch(models.Model):
    """An uploaded spreadsheet: kept with its report, so what was imported can always be traced."""

    class Status(models.TextChoices):
        CHECKING = "checking", "检查中"
        HAS_ERRORS = "has_errors", "有错误"
        READY = "ready", "待确认导入"
        IMPORTING = "importing", "导入中"
        IMPORTED = "imported", "已导入"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=40)
    filename = models.CharField("文件", max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    content = models.BinaryField(editable=False)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.CHECKING)
    report = models.JSONField(null=True, blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "导入"

    def __str__(self) -> str:
        return f"{self.filename} ({self.kind})"
