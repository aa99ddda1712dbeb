"""One declarative description of a spreadsheet, from which come the template, the reader and the exporter.

A `Sheet` lists its `Column`s (Chinese header, type, unit, required, choices, validator). From it:
- `template_bytes(sheet)`: an .xlsx with header comments and drop-down lists;
- `read_rows(sheet, data, filename)`: every row parsed to typed values, or a `CellError` per bad cell
  with its Excel row number, column and reason in Chinese;
- `export_bytes(sheet, records)`: the same columns written back, so an export imports again unchanged.

Reading uses calamine (python-calamine) in a limited child process, after a pre-flight check of the
file; CSV may be UTF-8 or GB18030.
What the rows mean (which record they match, what changes) is the business of each app's importer.

The package's rooms: `columns` (the description), `cells` (one cell in and out), `reading`, `writing`,
`preflight` (an upload looked at before any reader opens it), `sandbox` (the limited child that parses).
"""

from zhaoshang.core.sheets.cells import EXCEL_EPOCH, cell_text, format_cell, parse_cell
from zhaoshang.core.sheets.columns import (
    MAX_BYTES,
    MAX_ROWS,
    CellError,
    Column,
    FileProblem,
    Kind,
    ParsedRows,
    Sheet,
)
from zhaoshang.core.sheets.reading import read_rows, read_table
from zhaoshang.core.sheets.writing import export_bytes, iter_chunks, template_bytes

__all__ = [
    "EXCEL_EPOCH",
    "MAX_BYTES",
    "MAX_ROWS",
    "CellError",
    "Column",
    "FileProblem",
    "Kind",
    "ParsedRows",
    "Sheet",
    "cell_text",
    "export_bytes",
    "format_cell",
    "iter_chunks",
    "parse_cell",
    "read_rows",
    "read_table",
    "template_bytes",
]
