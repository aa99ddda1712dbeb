"""One declarative description of a spreadsheet, from which come the template, the reader and the exporter.

A `Sheet` lists its `Column`s (Chinese header, type, unit, required, choices, validator). From it:
- `template_bytes(sheet)`: an .xlsx with header comments and drop-down lists;
- `read_rows(sheet, data, filename)`: every row parsed to typed values, or a `CellError` per bad cell
  with its Excel row number, column and reason in Chinese;
- `export_bytes(sheet, records)`: the same columns written back, so an export imports again unchanged.

Reading uses calamine (python-calamine), not cell-by-cell openpyxl; CSV may be UTF-8 or GB18030.
What the rows mean (which record they match, what changes) is the business of each app's importer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhaoshang.core.xlsx import neutralise

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


def _choice(raw: Any, column: Column) -> str:
    text = _text(raw)
    for value, label in column.choice_list():
        if text in (value, str(label)):
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
        value: Any = cell_text(raw)
        if value.startswith("'") and value[1:2] in ("=", "+", "-", "@"):
            value = value[1:]  # the quote an export put before a formula-like text
        if len(value) > column.max_length:
            raise ValueError(f"不能超过 {column.max_length} 个字")
        if "\x00" in value:
            raise ValueError("含有无法保存的字符")
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


def _normalise_header(text: str) -> str:
    text = _SPACES.sub("", _text(text)).rstrip("*＊")
    return re.sub(r"[（(][^）)]*[）)]$", "", text)


def _table_from_csv(data: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileProblem("文件既不是 Excel 工作簿，也不是 UTF-8 或 GB18030 编码的 CSV")
    if "\x00" in text:
        raise FileProblem("文件不是电子表格（含有二进制内容）")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _table_from_workbook(data: bytes, wanted: str) -> tuple[str, list[list[Any]]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise FileProblem(f"无法读取该 Excel 文件：{exc}") from None
    names = list(workbook.sheet_names)
    if not names:
        raise FileProblem("工作簿中没有工作表")
    name = wanted if wanted in names else names[0]
    return name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)


def read_table(data: bytes, filename: str, wanted_sheet: str) -> tuple[str, list[list[Any]]]:
    if not data:
        raise FileProblem("文件是空的")
    if len(data) > MAX_BYTES:
        raise FileProblem(
            f"文件太大（{len(data) // 1024 // 1024} MB），单个文件不能超过 {MAX_BYTES // 1024 // 1024} MB"
        )
    is_zip = data[:4] == b"PK\x03\x04"
    is_ole = data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if is_zip or is_ole:
        return _table_from_workbook(data, wanted_sheet)
    if filename.lower().endswith((".xlsx", ".xls", ".xlsm")):
        raise FileProblem("文件扩展名是 Excel，但内容不是 Excel 工作簿（可能已损坏）")
    return "CSV", _table_from_csv(data)


def read_rows(sheet: Sheet, data: bytes, filename: str) -> ParsedRows:
    """Parse every data row; a bad cell becomes a CellError and the row is dropped from `rows`."""
    sheet_name, table = read_table(data, filename, sheet.title)
    result = ParsedRows(sheet_name=sheet_name)
    header_index = next((i for i, row in enumerate(table) if any(_text(c) for c in row)), None)
    if header_index is None:
        raise FileProblem(f"工作表“{sheet_name}”是空的")
    header = [_normalise_header(c) for c in table[header_index]]
    while header and not header[-1]:
        header.pop()
    known = {_normalise_header(c.header): c for c in sheet.columns} | {c.key: c for c in sheet.columns}
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        if not name:
            raise FileProblem(
                f"表头第 {get_column_letter(i + 1)} 列为空（可能是合并单元格）：请让每一列都有自己的表头"
            )
        column = known.get(name)
        if column is None:
            result.warnings.append(f"忽略了不认识的列“{name}”")
        elif column.key in positions:
            raise FileProblem(f"表头“{column.header}”出现了两次")
        else:
            positions[column.key] = i
    missing = [c.header for c in sheet.columns if c.required and c.key not in positions]
    if missing:
        raise FileProblem(
            f"工作表“{sheet_name}”缺少必填列：{'、'.join(missing)}。请使用下载的模板，或检查是否选错了工作表"
        )
    data_rows = table[header_index + 1 :]
    if len(data_rows) > MAX_ROWS:
        raise FileProblem(f"行数太多（{len(data_rows)} 行），一次最多导入 {MAX_ROWS} 行，请分批导入")
    columns = [c for c in sheet.columns if c.key in positions]
    result.present = frozenset(positions)
    for offset, row in enumerate(data_rows):
        excel_row = header_index + 2 + offset
        if not any(_text(c) for c in row):
            continue
        values: dict[str, Any] = {}
        bad = False
        for column in columns:
            i = positions[column.key]
            raw = row[i] if i < len(row) else None
            try:
                values[column.key] = parse_cell(column, raw)
            except ValueError as exc:
                result.errors.append(CellError(excel_row, column.header, str(exc)))
                bad = True
        if bad:
            result.bad_rows += 1
        else:
            result.rows.append((excel_row, values))
    return result


# ---------------------------------------------------------------- writing files

_HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
_REQUIRED_FONT = Font(bold=True, color="C00000")


def _write_header(ws: Any, sheet: Sheet, with_help: bool) -> None:
    for i, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=i, value=column.title + ("*" if column.required else ""))
        cell.font = _REQUIRED_FONT if column.required else Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = column.width
        if with_help:
            rules = [column.help] if column.help else []
            if column.required:
                rules.append("必填")
            if column.kind == "decimal":
                rules.append(
                    f"数字，最多 {column.decimals} 位小数" + (f"，单位{column.unit}" if column.unit else "")
                )
            if column.kind == "date":
                rules.append("日期，如 2021-03-15")
            if column.many:
                rules.append("可填多项，用“、”分隔")
            if rules:
                cell.comment = Comment("；".join(rules), "招商平台", width=260, height=110)
    ws.freeze_panes = "A2"


def template_bytes(sheet: Sheet, example: dict[str, Any] | None = None) -> bytes:
    """An empty sheet with the headers, their rules as comments, and drop-down lists for choices."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet.title[:31]
    _write_header(ws, sheet, with_help=True)
    lists = wb.create_sheet("可选项")
    for i, column in enumerate(sheet.columns, start=1):
        if column.kind not in ("choice", "bool") or column.many:
            continue
        labels = ["是", "否"] if column.kind == "bool" else [str(label) for _v, label in column.choice_list()]
        letter = get_column_letter(i)
        for r, label in enumerate(labels, start=1):
            lists.cell(row=r, column=i, value=label)
        validation = DataValidation(
            type="list",
            formula1=f"'可选项'!${letter}$1:${letter}${max(len(labels), 1)}",
            allow_blank=not column.required,
            showErrorMessage=True,
            errorTitle="不在可选项中",
            error=f"{column.header}：请从下拉列表中选择",
        )
        validation.add(f"{letter}2:{letter}5000")
        ws.add_data_validation(validation)
    lists.sheet_state = "hidden"
    if example:
        for i, column in enumerate(sheet.columns, start=1):
            ws.cell(row=2, column=i, value=format_cell(column, example.get(column.key)))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_bytes(sheet: Sheet, records: Iterable[dict[str, Any]]) -> bytes:
    """The records under the same headers as the template: an export can be imported again."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet.title[:31])
    for i, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"
    ws.append([c.title + ("*" if c.required else "") for c in sheet.columns])
    for record in records:
        ws.append([format_cell(c, record.get(c.key)) for c in sheet.columns])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def iter_chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
