"""Password history and expiry (等保 身份鉴别 a: 口令定期更换，不得重复使用).

`PasswordHistoryValidator` is listed in AUTH_PASSWORD_VALIDATORS: Django asks it to `validate` a
new password and tells it through `password_changed` when one was saved, wherever that happened
(the account page, an administrator's reset, a command).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhaoshang.org.models import PasswordHistory


class PasswordHistoryValidator:
    def __init__(self, count: int = 5) -> None:
        self.count = count

    def _recent(self, user: Any) -> list[str]:
        hashes = list(
            PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[: self.count]
        )
        if user.password and user.password not in hashes:
            hashes = [user.password, *hashes][: self.count]
        return hashes

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in self._recent(user)):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None or not user.password:
            return
        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        stale = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[self.count :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return f"不能与最近 {self.count} 次使用过的密码相同。"


def max_age() -> dt.timedelta | None:
    days = settings.ZHAOSHANG_PASSWORD_MAX_AGE_DAYS
    return dt.timedelta(days=days) if days else None


def password_expired(user: Any) -> bool:
    age = max_age()
    return bool(age and user.password_changed_at and timezone.now() - user.password_changed_at > age)


def change_reason(user: Any) -> str:
    """Why the user must change their password before going on, or "" when they need not."""
    if getattr(user, "must_change_password", False):
        return "管理员已重置您的密码，请先设置一个只有您自己知道的新密码。"
    if password_expired(user):
        return f"您的密码已使用超过 {settings.ZHAOSHANG_PASSWORD_MAX_AGE_DAYS} 天，请修改密码后继续。"
    return ""
