"""Pinyin initials of Chinese names ("浙江水泥" → "zjsn"), for searching the way people type."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

_ASCII_KEEP = str.maketrans("", "", " -_()（）·.,，")


# Characters whose reading in place names and company names depends on the next character. The
# dictionary lists its most common reading first, which is right for the rest (华 huá, 制 zhì …).
AMBIGUOUS = frozenset("长重行乐厦藏调朝曾单解会区仇朴查盛大都省说给家系角觉率便差参")


@lru_cache(maxsize=65536)
def _char_initial(ch: str) -> str | None:
    """The initial of a character; None when the next character decides its reading (长沙, 重工)."""
    readings = pinyin_dict.get(ord(ch))
    if readings is None:
        return ch.lower() if ch.isascii() and ch.isalnum() else ""
    if ch in AMBIGUOUS:
        return None
    return readings[0]


def _ascii_letters(chunk: str) -> list[str]:
    return [c.lower() for c in chunk if c.isascii() and c.isalnum()]


def initials(name: str) -> str:
    fast = [_char_initial(ch) for ch in name.translate(_ASCII_KEEP)]
    if all(i is not None for i in fast):
        return "".join(fast)[:100]  # type: ignore[arg-type]
    # A character with several readings: let pypinyin's phrase dictionary choose (长沙 → cs, 重工 → zg).
    letters = lazy_pinyin(
        name.translate(_ASCII_KEEP),
        style=Style.FIRST_LETTER,
        errors=_ascii_letters,  # type: ignore[arg-type]  # pypinyin accepts a list, its stubs say str
    )
    return "".join(letters).lower()[:100]
