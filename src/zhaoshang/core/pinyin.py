"""Pinyin initials of Chinese names ("浙江水泥" → "zjsn"), for searching the way people type."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

_ASCII_KEEP = str.maketrans("", "", " -_()（）·.,，")


@lru_cache(maxsize=65536)
def _char_initial(ch: str) -> str | None:
    """The initial of a character with one reading; None when it has several (长, 重, 行 …)."""
    readings = pinyin_dict.get(ord(ch))
    if readings is None:
        return ch.lower() if ch.isascii() and ch.isalnum() else ""
    if "," in readings:
        return None
    return readings[0]


def initials(name: str) -> str:
    fast = [_char_initial(ch) for ch in name.translate(_ASCII_KEEP)]
    if all(i is not None for i in fast):
        return "".join(fast)[:100]  # type: ignore[arg-type]
    # A character with several readings: let pypinyin's phrase dictionary choose (长沙 → cs, 重工 → zg).
    letters = lazy_pinyin(
        name.translate(_ASCII_KEEP),
        style=Style.FIRST_LETTER,
        errors=lambda chunk: [c.lower() for c in chunk if c.isascii() and c.isalnum()],
    )
    return "".join(letters).lower()[:100]
