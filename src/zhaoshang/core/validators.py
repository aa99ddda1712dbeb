"""Field validators shared by every app, with messages that name the rule in Chinese."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE = re.compile(r"^[0-9 ()+\-]{3,30}$")


def validate_phone(value: str) -> None:
    if value and not _PHONE.match(value):
        raise ValidationError(_("only digits, spaces and - are allowed, e.g. 0571-88888888 or 13800000000."))


def storable_text_problem(value: str) -> str | None:
    """Text a database cannot keep: NUL characters and lone UTF-16 surrogates (from broken JSON)."""
    if "\x00" in value:
        return str(_("contains a NUL character, which cannot be stored."))
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        return str(_("contains a broken character (lone surrogate), which cannot be stored."))
    return None
