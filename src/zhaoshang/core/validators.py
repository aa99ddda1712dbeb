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


class CharacterClassesValidator:
    """At least `min_classes` of four kinds of character (等保 身份鉴别 a: 复杂度): capital letters,
    small letters, digits, and anything else (punctuation, Chinese characters, spaces)."""

    CLASSES = ("大写字母", "小写字母", "数字", "符号")

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    @staticmethod
    def classes_of(password: str) -> set[str]:
        found: set[str] = set()
        for ch in password:
            if ch.isascii() and ch.isupper():
                found.add("大写字母")
            elif ch.isascii() and ch.islower():
                found.add("小写字母")
            elif ch.isdigit():
                found.add("数字")
            else:
                found.add("符号")
        return found

    def validate(self, password: str, user: object = None) -> None:
        if len(self.classes_of(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、符号四类中的至少 {self.min_classes} 类。"


# --- Display spoofing (等保: 输入校验) ------------------------------------------------------------
# Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what a name shows;
# zero-width characters (U+200B–U+200D, U+2060, U+FEFF) make two names that look alike differ.
# Refused in every name and code, whichever channel it comes through (form, API, import).
SPOOFING_CHARACTERS = frozenset(
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)
)
# Field and column names that hold a name or a code: name, short_name, display_name, username,
# contact_person, uscc, industry_code, plot_code, region_code …
_NAME_OR_CODE = re.compile(r"(^|_)(name|code|uscc|username|person)($|_)")


def is_name_or_code(field_name: str) -> bool:
    return bool(_NAME_OR_CODE.search(field_name))


def display_spoofing_problem(value: str) -> str | None:
    found = sorted({f"U+{ord(ch):04X}" for ch in value if ch in SPOOFING_CHARACTERS})
    if found:
        return f"含有不可见的方向控制符或零宽字符（{'、'.join(found)}），会让显示的内容与实际不同，请删除后再填写。"
    return None


def validate_display_safe(value: str) -> None:
    if isinstance(value, str) and (problem := display_spoofing_problem(value)):
        raise ValidationError(problem)
