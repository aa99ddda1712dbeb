"""Reading an .xlsx (calamine, in a limited child process) or a CSV (UTF-8 or GB18030) into typed rows
or named cell errors."""

from __future__ import annotations

import re
from typing import Any

from openpyxl.utils import get_column_letter

from zhaoshang.core.sheets import preflight, sandbox
from zhaoshang.core.sheets.cells import _SPACES, _text, parse_cell
from zhaoshang.core.sheets.columns import MAX_BYTES, MAX_ROWS, CellError, FileProblem, ParsedRows, Sheet


def _normalise_header(text: str) -> str:
    text = _SPACES.sub("", _text(text)).rstrip("*＊")
    return re.sub(r"[（(][^）)]*[）)]$", "", text)


def read_table(data: bytes, filename: str, wanted_sheet: str) -> tuple[str, list[list[Any]]]:
    """The rows of plain values of the wanted sheet (or the first), read safely: the pre-flight check
    first, then the parse in a memory- and time-limited child process (`sandbox`)."""
    from django.conf import settings

    if len(data) > MAX_BYTES:
        raise FileProblem(
            f"文件太大（{len(data) // 1024 // 1024} MB），单个文件不能超过 {MAX_BYTES // 1024 // 1024} MB"
        )
    preflight.check(data, filename)
    is_zip = data[:4] == b"PK\x03\x04"
    is_ole = data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if not (is_zip or is_ole) and filename.lower().endswith((".xlsx", ".xls", ".xlsm")):
        raise FileProblem("文件扩展名是 Excel，但内容不是 Excel 工作簿（可能已损坏）")
    try:
        return sandbox.parse(
            data,
            kind="workbook" if is_zip or is_ole else "csv",
            sheet=wanted_sheet,
            memory_mb=settings.ZHAOSHANG_UPLOAD_CHILD_MEMORY_MB,
            cpu_seconds=settings.ZHAOSHANG_UPLOAD_CHILD_CPU_SECONDS,
            wall_seconds=settings.ZHAOSHANG_UPLOAD_CHILD_WALL_SECONDS,
        )
    except sandbox.Refused as exc:
        raise FileProblem(str(exc)) from None


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
