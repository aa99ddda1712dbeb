"""Writing lists to .xlsx, with every text cell made safe to open in Excel.

Every cell of every workbook the platform writes (exports, import templates and their hidden lists
of choices) goes through `safe_value`, by `put`, `append` or `safe_cell`: nothing else writes cells.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

# A cell starting with one of these is run as a formula by Excel (CSV/formula injection, ASVS 1.2.10).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_value(value: Any) -> Any:
    """The one step every value takes on its way into a workbook: numbers, dates and empty cells as
    they are, anything else as text that cannot start a formula (a town named `=HYPERLINK(…)` stays
    a name). openpyxl runs any text starting with "=" as a formula, so nothing is written without it."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value  # TIME_ZONE
    if isinstance(value, Decimal | int | float | dt.date | dt.time | dt.timedelta) or value is None:
        return value
    return neutralise(str(value))


def safe_cell(ws: Any, value: Any) -> Any:
    """A write-only row's cell: a WriteOnlyCell (with its style) keeps its style, its value made safe."""
    if isinstance(value, Cell):  # what WriteOnlyCell returns
        value.value = safe_value(value.value)
        return value
    return safe_value(value)


def put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write one cell of a normal sheet, through `safe_value`."""
    return ws.cell(row=row, column=column, value=safe_value(value))


def append(ws: Any, values: Iterable[Any]) -> None:
    """Append one row (normal or write-only sheet), every value through `safe_value`."""
    ws.append([safe_cell(ws, v) for v in values])


Table = tuple[str, Sequence[str], Iterable[Sequence[Any]]]  # sheet title, headers, rows


def workbook_of(tables: Sequence[Table]) -> bytes:
    """One workbook with a sheet per table, headers in bold."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headers, rows in tables:
        ws = wb.create_sheet(title=title[:31])
        header_cells = []
        for h in headers:
            cell = WriteOnlyCell(ws, value=safe_value(h))
            cell.font = bold
            header_cells.append(cell)
        append(ws, header_cells)
        for row in rows:
            append(ws, row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def download(data: bytes, filename: str, content_type: str = XLSX_TYPE) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "xlsx"
    # RFC 6266/5987 so Chinese file names survive every browser.
    response["Content-Disposition"] = (
        f"attachment; filename=\"export.{extension}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
