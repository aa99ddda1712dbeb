"""The interface is Chinese: every string the code marks for translation has its Chinese text."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_interface_string_has_a_chinese_translation() -> None:
    text = PO.read_text(encoding="utf-8")
    entries = re.split(r"\n\n+", text)
    missing = [
        e for e in entries[1:] if re.search(r'msgstr(\[0\])? ""\n?$', e.strip() + "\n") and "msgid" in e
    ]
    fuzzy = [e for e in entries[1:] if "#, fuzzy" in e]
    assert not missing, missing[:5]
    assert not fuzzy, fuzzy[:5]


def test_the_default_language_is_simplified_chinese() -> None:
    with translation.override("zh-hans"):
        assert translation.gettext("Audit log") == "审计日志"
    with translation.override("en"):
        assert translation.gettext("Audit log") == "Audit log"
