"""A spreadsheet's description: its `Sheet`, `Column`s, and what reading it gives back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Kind = Literal["text", "int", "decimal", "date", "choice", "bool"]
MAX_BYTES = 20 * 1024 * 1024  # a county's largest list is a few MB; anything bigger is not ours
MAX_ROWS = 250_000


class FileProblem(ValueError):
    """The file as a whole cannot be read: not a spreadsheet, empty, wrong sheet, bad header."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind = "text"
    unit: str = ""
    required: bool = False
    help: str = ""
    # (stored value, label people write); a cell may hold either.
    choices: Sequence[tuple[str, str]] | Callable[[], Sequence[tuple[str, str]]] = ()
    validate: Callable[[Any], Any] | None = None  # returns the cleaned value or raises ValueError
    max_length: int = 200
    decimals: int = 4
    minimum: Decimal | None = Decimal(0)
    width: int = 14
    many: bool = False  # a choice column holding several values separated by 、 or ,

    @property
    def title(self) -> str:
        return f"{self.header}（{self.unit}）" if self.unit else self.header

    def choice_list(self) -> Sequence[tuple[str, str]]:
        return self.choices() if callable(self.choices) else self.choices


@dataclass(frozen=True)
class Sheet:
    kind: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str = ""

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class CellError:
    row: int  # the row number Excel shows
    column: str  # the column's header
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedRows:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (Excel row number, values)
    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sheet_name: str = ""
    present: frozenset[str] = frozenset()  # the columns the file has: the others are left as they are
    bad_rows: int = 0


# ---------------------------------------------------------------- cell parsing
