"""Field validators shared by every app, with messages that name the rule in Chinese."""

from __future__ import annotations

import re

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
