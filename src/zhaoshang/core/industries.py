"""GB/T 4754-2017 国民经济行业分类, read on first use from the table shipped in the package.

Codes nest by prefix (大类 "36" ⊃ 中类 "361" ⊃ 小类 "3612"); the 门类 letter is a separate column.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("data") / "gbt4754-2017.csv"
LEVEL_NAMES = {1: "门类", 2: "大类", 3: "中类", 4: "小类"}


@dataclass(frozen=True)
class Industry:
    code: str
    level: int
    section: str
    name: str
    note: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


@lru_cache(maxsize=1)
def table() -> dict[str, Industry]:
    with TABLE.open(encoding="utf-8") as fh:
        return {
            row["code"]: Industry(row["code"], int(row["level"]), row["section"], row["name"], row["note"])
            for row in csv.DictReader(fh)
        }


def get(code: str) -> Industry | None:
    return table().get(code.strip().upper())


def normalise(raw: str) -> str:
    """ "C3612" and "3612" are the same 小类; systems often prefix the 门类 letter."""
    code = raw.strip().upper()
    if len(code) >= 3 and code[0].isalpha() and code[1:].isdigit():
        code = code[1:]
    return code


def validate(raw: str, min_level: int = 2) -> Industry:
    """The industry for a code, or ValueError with a Chinese reason."""
    code = normalise(raw)
    industry = get(code)
    if industry is None:
        raise ValueError(f"“{raw}”不是 GB/T 4754-2017 中的行业代码")
    if industry.level < min_level:
        raise ValueError(f"“{raw}”是{LEVEL_NAMES[industry.level]}，请至少填到{LEVEL_NAMES[min_level]}")
    return industry


def lineage(code: str) -> list[Industry]:
    """门类 → 大类 → 中类 → 小类 above and including the code."""
    industry = get(code)
    if industry is None:
        return []
    chain = [table()[industry.section]]
    chain += [table()[code[:n]] for n in range(2, len(code) + 1) if code[:n] in table()]
    return chain


def choices(level: int) -> list[tuple[str, str]]:
    return [(i.code, i.label) for i in table().values() if i.level == level]
