"""Field validators shared by every app, with messages that name the rule in Chinese."""

from __future__ import annotations

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

_PHONE = re.compile(r"^[0-9 ()+\-]{3,30}$")


def validate_phone(value: str) -> None:
    if value and not _PHONE.match(value):
        raise ValidationError("只能填写数字、空格和“-”，如 0571-88888888 或 13800000000。")


def storable_text_problem(value: str) -> str | None:
    """Text a database cannot keep: NUL characters and lone UTF-16 surrogates (from broken JSON)."""
    if "\x00" in value:
        return "含有空字符（NUL），无法保存。"
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        return "含有损坏的字符，无法保存。"
    return None


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with its message in Chinese: Django 5.2.19 changed the English text and its
    zh_Hans catalog has not followed, so the stock validator speaks English."""

    def get_error_message(self) -> str:
        return f"密码长度太短。密码必须包含至少 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"您的密码必须包含至少 {self.min_length} 个字符。"
