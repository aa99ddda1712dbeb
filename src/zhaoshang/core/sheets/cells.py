"""One cell: parsed from what a person typed, and formatted back as an export writes it."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from zhaoshang.core.sheets.columns import Column
from zhaoshang.core.validators import display_spoofing_problem, is_name_or_code
from zhaoshang.core.xlsx import neutralise

_SPACES = re.compile(r"[\s\u3000]+")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"), (1, 2, 3)),
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"), (1, 2, 3)),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), (3, 1, 2)),  # 3/15/2021 as Excel in English writes it
)
_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", ""}
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    # NFKC turns full-width digits, letters and punctuation into their plain forms.
    return unicodedata.normalize("NFKC", str(raw)).strip()


def cell_text(raw: Any) -> str:
    """A text cell as stored: full-width forms made plain only where the whole cell then reads as
    ASCII (a code, a number, an address typed with a Chinese keyboard). Names keep their own
    punctuation, so "某（集团）有限公司" stays as written and a round trip changes nothing."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    text = str(raw).strip()
    plain = unicodedata.normalize("NFKC", text).strip()
    return plain if plain.isascii() else text


def _decimal(raw: Any, column: Column) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError("应为数字")
    if isinstance(raw, int | float):
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    else:
        text = _SPACES.sub("", _text(raw))
        if column.unit and text.endswith(column.unit):
            text = text[: -len(column.unit)]
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{_text(raw)}”不是数字") from None
    if not value.is_finite():
        raise ValueError("不是有限的数字")
    if column.minimum is not None and value < column.minimum:
        raise ValueError(f"不能小于 {column.minimum}")
    if abs(value) >= Decimal(10) ** 12:
        raise ValueError("数值过大，请检查单位" + (f"（应为{column.unit}）" if column.unit else ""))
    quantum = Decimal(1).scaleb(-column.decimals)
    rounded = value.quantize(quantum)
    if rounded != value:
        raise ValueError(f"最多 {column.decimals} 位小数")
    return rounded


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2958466:
        return EXCEL_EPOCH + dt.timedelta(days=int(raw))  # an Excel serial number that lost its format
    text = _SPACES.sub("", _text(raw))
    for pattern, (y, m, d) in _DATE_PATTERNS:
        if match := pattern.match(text):
            try:
                return dt.date(int(match[y]), int(match[m]), int(match[d]))
            except ValueError:
                raise ValueError(f"“{text}”不是存在的日期") from None
    raise ValueError(f"“{text}”不是日期，请写成 2021-03-15")


def _unquoted(text: str) -> str:
    """The text as typed, without the quote an export put before a formula-like text."""
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@") else text


def _choice(raw: Any, column: Column) -> str:
    text = _unquoted(_text(raw))  # NFKC: "补链（薄弱）" typed reads as "补链(薄弱)"; so are the labels
    for value, label in column.choice_list():
        if text in (value, unicodedata.normalize("NFKC", str(label)).strip()):
            return value
    allowed = "、".join(str(label) for _value, label in column.choice_list()[:12])
    raise ValueError(f"“{text}”不在可选项中（{allowed}）")


def parse_cell(column: Column, raw: Any) -> Any:
    """The typed value of one cell; None for an empty cell. Raises ValueError with the reason."""
    if raw is None or (isinstance(raw, str) and not _text(raw)):
        if column.required:
            raise ValueError("必填")
        return [] if column.many else None
    if column.kind == "text":
        value: Any = _unquoted(cell_text(raw))
        if len(value) > column.max_length:
            raise ValueError(f"不能超过 {column.max_length} 个字")
        if "\x00" in value:
            raise ValueError("含有无法保存的字符")
        if is_name_or_code(column.key) and (problem := display_spoofing_problem(value)):
            raise ValueError(problem)  # 等保: no display spoofing in names and codes
    elif column.kind == "int":
        number = _decimal(raw, Column(column.key, column.header, decimals=0, minimum=column.minimum))
        value = int(number)
    elif column.kind == "decimal":
        value = _decimal(raw, column)
    elif column.kind == "date":
        value = _date(raw)
    elif column.kind == "bool":
        text = _text(raw).lower()
        if text not in _TRUE | _FALSE:
            raise ValueError(f"“{text}”应填“是”或“否”")
        value = text in _TRUE
    elif column.many:
        parts = [p for p in re.split(r"[、,，;；\s]+", _text(raw)) if p]
        value = sorted({_choice(p, column) for p in parts})
    else:
        value = _choice(raw, column)
    if column.validate is not None:
        value = column.validate(value)
    return value


def format_cell(column: Column, value: Any) -> Any:
    """How a stored value is written to a sheet: the inverse of `parse_cell`."""
    if value is None or value == []:
        return None
    if column.kind == "choice":
        labels = dict(column.choice_list())
        if column.many:
            return "、".join(str(labels.get(v, v)) for v in value)
        return str(labels.get(value, value))
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind == "decimal":
        # A float keeps Excel's number format and holds up to 15 significant digits exactly.
        return float(value) if abs(value) < Decimal("1e10") else str(value)
    if column.kind == "text":
        return neutralise(value)
    return value


# ---------------------------------------------------------------- reading files
