"""The pre-flight check of an uploaded spreadsheet, before any reader touches it.

A reader trusts what a workbook says about itself: one cell addressed `XFD1048576` makes calamine
allocate the whole 1,048,576 × 16,384 grid (550 GB) and abort the process; a 1.5 MB file can hold a
1.5 GB shared string. So every upload is first looked at with `zipfile` alone, never an XML parser:

- the zip: at most `max_members` members; each member's declared unpacked size, the total, and the
  ratio unpacked / packed above 8 MB (a zip bomb packs 1,000 to 1);
- every member is then unpacked in 1 MB chunks and counted, so a size the header lies about is
  caught too (`zipfile` stops at the declared size and the CRC then fails);
- each worksheet's XML, scanned chunk by chunk with bounded memory: the `<dimension ref>` near its
  head, the largest `r="…"` row and column, and the number of rows and cells; a document type
  declaration (the billion-laughs entity trick) is refused;
- the shared strings have a size limit of their own;
- a CSV: its size, its number of lines and of separators (a file of 20 million commas or newlines
  is 20 million cells).

The limits are settings (`ZHAOSHANG_UPLOAD_*`); the defaults leave room for the county's largest
real list (250,000 rows of 14 columns) several times over. Every refusal is a `FileProblem` with a
Chinese message the import page shows.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from zhaoshang.core.sheets.columns import FileProblem

MB = 1024 * 1024
CHUNK = MB
_TAIL = 64  # bytes kept from the previous chunk, so a reference cut in two is still seen whole
RATIO_FLOOR = 8 * MB  # small members may compress very well (an empty sheet); only big ones count


@dataclass(frozen=True)
class Limits:
    upload_bytes: int = 20 * MB
    unpacked_bytes: int = 512 * MB
    member_bytes: int = 256 * MB
    shared_strings_bytes: int = 128 * MB
    ratio: int = 100
    members: int = 1000
    rows: int = 300_000
    columns: int = 200
    cells: int = 10_000_000


def limits() -> Limits:
    """The limits in force (settings.py, `ZHAOSHANG_UPLOAD_*`)."""
    from django.conf import settings

    return Limits(
        upload_bytes=settings.ZHAOSHANG_UPLOAD_MAX_MB * MB,
        unpacked_bytes=settings.ZHAOSHANG_UPLOAD_UNPACKED_MAX_MB * MB,
        member_bytes=settings.ZHAOSHANG_UPLOAD_MEMBER_MAX_MB * MB,
        shared_strings_bytes=settings.ZHAOSHANG_UPLOAD_SHARED_STRINGS_MAX_MB * MB,
        ratio=settings.ZHAOSHANG_UPLOAD_MAX_RATIO,
        members=settings.ZHAOSHANG_UPLOAD_MAX_MEMBERS,
        rows=settings.ZHAOSHANG_UPLOAD_MAX_ROWS,
        columns=settings.ZHAOSHANG_UPLOAD_MAX_COLUMNS,
        cells=settings.ZHAOSHANG_UPLOAD_MAX_CELLS,
    )


def _mb(size: int) -> str:
    return f"{size / MB:,.0f} MB" if size >= MB else f"{size / 1024:,.0f} KB"


def check(data: bytes, filename: str, bounds: Limits | None = None) -> None:
    """Refuse (FileProblem) a file a reader could not read safely; return quietly otherwise."""
    bounds = bounds or limits()
    if not data:
        raise FileProblem("文件是空的")
    if len(data) > bounds.upload_bytes:
        raise FileProblem(f"文件太大（{_mb(len(data))}），单个文件不能超过 {_mb(bounds.upload_bytes)}")
    if data[:4] == b"PK\x03\x04":
        check_workbook(data, bounds)
    elif data[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # an old .xls goes to the child process as is
        check_csv(data, bounds)


def check_csv(data: bytes, bounds: Limits) -> None:
    lines = data.count(b"\n") + 1
    if lines > bounds.rows:
        raise FileProblem(f"文件有 {lines:,} 行，超过上限 {bounds.rows:,} 行，请分批导入")
    separators = data.count(b",") + data.count(b"\t") + data.count(b";")
    if separators > bounds.cells:
        raise FileProblem(f"文件的单元格太多（约 {separators:,} 个），超过上限 {bounds.cells:,} 个")


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # BadZipFile, NotImplementedError (an unknown zip version), struct.error …
        raise FileProblem("无法读取该 Excel 文件：文件已损坏或不完整") from None


def check_workbook(data: bytes, bounds: Limits) -> None:
    archive = _open(data)
    members = archive.infolist()
    if len(members) > bounds.members:
        raise FileProblem(f"工作簿内含 {len(members):,} 个部件，超过上限 {bounds.members:,} 个，已拒绝")
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > bounds.member_bytes:
            raise FileProblem(
                f"文件中的{_label(info.filename)}解压后有 {_mb(info.file_size)}，超过上限 "
                f"{_mb(bounds.member_bytes)}，可能是压缩炸弹，已拒绝"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > bounds.ratio * max(info.compress_size, 1):
            raise FileProblem(
                f"文件中的{_label(info.filename)}压缩比超过 {bounds.ratio} 倍"
                f"（{_mb(info.compress_size)} 解压为 {_mb(info.file_size)}），可能是压缩炸弹，已拒绝"
            )
        if _is_shared_strings(info.filename) and info.file_size > bounds.shared_strings_bytes:
            raise FileProblem(
                f"共享字符串表解压后有 {_mb(info.file_size)}，超过上限 {_mb(bounds.shared_strings_bytes)}，"
                "可能是压缩炸弹，已拒绝"
            )
    if total > bounds.unpacked_bytes:
        raise FileProblem(
            f"文件解压后有 {_mb(total)}，超过上限 {_mb(bounds.unpacked_bytes)}，可能是压缩炸弹，已拒绝"
        )
    for info in members:
        if not info.is_dir():
            _scan_member(archive, info, bounds)


def _label(name: str) -> str:
    """A member named the way a person knows it: "第 2 个工作表", never "xl/worksheets/sheet2.xml"."""
    if _is_worksheet(name):
        digits = re.sub(r"\D", "", name.rsplit("/", 1)[-1])
        return f"第 {digits} 个工作表" if digits else "一个工作表"
    if _is_shared_strings(name):
        return "共享字符串表"
    return "一个部件"


def _is_shared_strings(name: str) -> bool:
    return name.lower().rsplit("/", 1)[-1].startswith("sharedstrings")


def _is_worksheet(name: str) -> bool:
    lower = name.lower()
    return lower.startswith("xl/worksheets/") and lower.endswith(".xml")


# A cell or row reference: r="XFD1048576" (a cell) or r="1048576" (a row), as an attribute of its own
# (so `firstPageNumber="…"` is not one). A leading set of four bytes keeps the scan fast.
_REF = re.compile(rb'[ \t\r\n]r="([A-Za-z]{0,4})([0-9]{1,9})"')
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="([A-Za-z]{1,4})?([0-9]{1,9})?(?::([A-Za-z]{1,4})([0-9]{1,9}))?"'
)


def column_number(letters: bytes | str) -> int:
    """A → 1, XFD → 16384."""
    number = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        number = number * 26 + ord(ch) - 64
    return number


class _SheetScan:
    def __init__(self, name: str, bounds: Limits) -> None:
        self.name, self.bounds = name, bounds
        self.max_row = self.max_column = self.rows = self.cells = 0
        self.head = True

    def feed(self, tail: bytes, chunk: bytes) -> None:
        if self.head:
            self.head = False
            if match := _DIMENSION.search(chunk[: 64 * 1024]):
                first_col, first_row, last_col, last_row = match.groups()
                self._bound(last_row or first_row, last_col or first_col, "声明的范围")
        pairs = _REF.findall(tail + chunk)
        if pairs:
            letters, digits = zip(*pairs, strict=True)
            widest = max(set(letters), key=lambda c: (len(c), c.upper()))
            self._bound(
                max(set(digits), key=lambda d: (len(d.lstrip(b"0")), d.lstrip(b"0"))), widest, "单元格地址"
            )
        # Cells and rows written without an address count too (`<c` also counts `<col`: an upper bound).
        self.cells += chunk.count(b"<c")
        self.rows += chunk.count(b"<row")
        if self.cells > self.bounds.cells:
            raise FileProblem(f"{self.name}的单元格超过 {self.bounds.cells:,} 个，已拒绝")
        if self.rows > self.bounds.rows:
            raise FileProblem(f"{self.name}超过 {self.bounds.rows:,} 行，已拒绝")

    def _bound(self, digits: bytes | None, letters: bytes | None, what: str) -> None:
        row = int(digits) if digits else 0
        column = column_number(letters) if letters else 0
        self.max_row, self.max_column = max(self.max_row, row), max(self.max_column, column)
        if self.max_row > self.bounds.rows or self.max_column > self.bounds.columns:
            raise FileProblem(
                f"{self.name}的{what}达到第 {self.max_row:,} 行、第 {self.max_column:,} 列，"
                f"超过上限（{self.bounds.rows:,} 行 × {self.bounds.columns} 列），"
                "读取它会耗尽服务器内存，已拒绝。请只保留有数据的区域后重新保存"
            )
        if self.max_row * max(self.max_column, 1) > self.bounds.cells:
            raise FileProblem(
                f"{self.name}的范围（{self.max_row:,} 行 × {self.max_column} 列）"
                f"超过 {self.bounds.cells:,} 个单元格，已拒绝。请只保留有数据的区域后重新保存"
            )


def _scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, bounds: Limits) -> None:
    """Unpack one member in bounded chunks: its true size, its CRC, and for a sheet its extent."""
    is_xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
    sheet = _SheetScan(_label(info.filename), bounds) if _is_worksheet(info.filename) else None
    tail = b""
    first = True
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                if first and is_xml:
                    first = False
                    if b"<!DOCTYPE" in chunk[:4096].upper():
                        raise FileProblem(
                            "工作簿含有文档类型声明（DOCTYPE），不是 Excel 正常保存的文件，已拒绝"
                        )
                if sheet is not None:
                    sheet.feed(tail, chunk)
                    tail = chunk[-_TAIL:]
    except FileProblem:
        raise
    except Exception:  # BadZipFile (a wrong CRC or size), zlib.error, an unknown compression …
        raise FileProblem(f"无法读取该 Excel 文件：{_label(info.filename)}已损坏或不完整") from None
