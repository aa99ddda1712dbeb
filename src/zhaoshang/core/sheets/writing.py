"""Writing: the template with header comments and drop-down lists, and the export.

Every cell goes through `core.xlsx.put` / `append`, the one writer that neutralises formulas.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhaoshang.core import numbers
from zhaoshang.core.sheets.cells import format_cell
from zhaoshang.core.sheets.columns import Sheet
from zhaoshang.core.xlsx import append, put, safe_value

NOTES_TITLE = "导出说明"

_HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
_REQUIRED_FONT = Font(bold=True, color="C00000")


def _write_header(ws: Any, sheet: Sheet, with_help: bool) -> None:
    for i, column in enumerate(sheet.columns, start=1):
        cell = put(ws, 1, i, column.title + ("*" if column.required else ""))
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
            put(lists, r, i, label)
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
            put(ws, 2, i, format_cell(column, example.get(column.key)))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_bytes(
    sheet: Sheet, records: Iterable[dict[str, Any]], notes: Sequence[tuple[str, str]] = ()
) -> bytes:
    """The records under the same headers as the template: an export can be imported again.

    Figures carry the platform's number format (thousands separators); `notes` (what was exported,
    by whom, under which filters) go on a second sheet, "导出说明", which an import ignores.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet.title[:31])
    for i, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"
    append(ws, [c.title + ("*" if c.required else "") for c in sheet.columns])
    # Whole-number columns (a year, a count) stay as typed: "2,024" is not a year.
    formats = [numbers.excel_format(c.decimals) if c.kind == "decimal" else None for c in sheet.columns]
    for record in records:
        append(
            ws,
            [
                _cell(ws, fmt, format_cell(c, record.get(c.key)))
                for c, fmt in zip(sheet.columns, formats, strict=True)
            ],
        )
    if notes:
        about = wb.create_sheet(NOTES_TITLE)
        about.column_dimensions["A"].width = 14
        about.column_dimensions["B"].width = 60
        for label, value in notes:
            append(about, [label, value])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(ws: Any, number_format: str | None, value: Any) -> Any:
    if number_format is None or not isinstance(value, int | float):
        return value
    cell = WriteOnlyCell(ws, value=safe_value(value))
    cell.number_format = number_format
    return cell


def iter_chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
