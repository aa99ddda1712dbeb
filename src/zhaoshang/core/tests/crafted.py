"""Hostile workbooks, built byte by byte: what an attacker uploads to take the server down.

Used by the upload tests and by hardening/hard_uploads.py. Each is built in well under a second:
the large members are deflated once and repeated (a deflate block after a full flush refers to
nothing before it), so a 1.5 GB shared string costs 1 MB of work and 0.6 s of CRC.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable

MB = 1024 * 1024
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships '
    b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook '
    b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships '
    b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


class Member:
    """One zip member: its deflated bytes, CRC and unpacked size, built from parts that may repeat."""

    def __init__(self, name: str, parts: Iterable[tuple[bytes, int]]) -> None:
        self.name = name.encode()
        deflated, crc, size = [], 0, 0
        for text, times in parts:
            squeezer = zlib.compressobj(9, zlib.DEFLATED, -15)
            block = squeezer.compress(text) + squeezer.flush(zlib.Z_FULL_FLUSH)
            deflated.append(block * times)
            for _ in range(times):
                crc = zlib.crc32(text, crc)
            size += len(text) * times
        deflated.append(b"\x03\x00")  # the final, empty block
        self.data, self.crc, self.size = b"".join(deflated), crc, size


def zip_of(members: Iterable[Member], declared: dict[str, int] | None = None) -> bytes:
    """A zip of deflated members; `declared` makes a member's headers lie about its unpacked size."""
    declared = declared or {}
    out, directory = bytearray(), bytearray()
    count = 0
    for m in members:
        size = declared.get(m.name.decode(), m.size)
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, m.crc, len(m.data), size, len(m.name), 0
        )
        out += m.name + m.data
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50, 20, 20, 0, 8, 0, 0x21, m.crc, len(m.data), size, len(m.name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        directory += m.name
        count += 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(out), 0)
    return bytes(out + directory + end)


def _skeleton(sheet: bytes, shared: Member | None = None) -> list[Member]:
    members = [
        Member("[Content_Types].xml", [(CONTENT_TYPES, 1)]),
        Member("_rels/.rels", [(RELS, 1)]),
        Member("xl/workbook.xml", [(WORKBOOK, 1)]),
        Member("xl/_rels/workbook.xml.rels", [(WORKBOOK_RELS, 1)]),
        Member("xl/worksheets/sheet1.xml", [(sheet, 1)]),
    ]
    return [*members, shared] if shared else members


def far_cell() -> bytes:
    """The 1,977-byte kind: one cell addressed XFD1048576, and a dimension saying so."""
    sheet = (
        SHEET_HEAD + b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return zip_of(_skeleton(sheet))


def far_cell_no_dimension() -> bytes:
    """The same far cell without the dimension that gives it away."""
    sheet = (
        SHEET_HEAD + b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )
    return zip_of(_skeleton(sheet))


def huge_shared_string(megabytes: int = 1500, lie: bool = False) -> bytes:
    """A workbook whose one shared string is `megabytes` MB of "a" (1.5 GB: a 1.5 MB file)."""
    sheet = SHEET_HEAD + b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    shared = Member(
        "xl/sharedStrings.xml",
        [
            (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             b'count="1" uniqueCount="1"><si><t>', 1),
            (b"a" * MB, megabytes),
            (b"</t></si></sst>", 1),
        ],
    )  # fmt: skip
    return zip_of(_skeleton(sheet, shared), {"xl/sharedStrings.xml": 1000} if lie else None)


def zip_bomb(megabytes: int = 600) -> bytes:
    """Zeros that unpack a thousand to one, besides an ordinary small sheet."""
    sheet = SHEET_HEAD + b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    return zip_of([*_skeleton(sheet), Member("xl/media/image1.bin", [(b"\0" * MB, megabytes)])])


def plain(rows: list[list[str]]) -> bytes:
    """An honest workbook of inline strings, for the fuzzer to mutate."""
    body = b"".join(
        b'<row r="%d">' % (r + 1)
        + b"".join(
            b'<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (bytes([65 + c]), r + 1, v.encode())
            for c, v in enumerate(row)
        )
        + b"</row>"
        for r, row in enumerate(rows)
    )
    return zip_of(_skeleton(SHEET_HEAD + b"<sheetData>" + body + b"</sheetData></worksheet>"))


HONEST = plain([["甲", "乙"], *[[f"名称{i}", str(i)] for i in range(30)]])
HONEST_SHEET = zipfile.ZipFile(io.BytesIO(HONEST)).read("xl/worksheets/sheet1.xml")


def _damage(data: bytes, cut: int | None, flips: list[tuple[int, int]]) -> bytes:
    out = bytearray(data[:cut] if cut is not None else data)
    for position, value in flips:
        if out:
            out[position % len(out)] = value
    return bytes(out)


def mutated_zip(data: bytes, cut: int | None, flips: list[tuple[int, int]]) -> bytes:
    """The file cut short at `cut` and with bytes overwritten: the zip itself is damaged."""
    return _damage(data, cut, flips)


def mutated_sheet(flips: list[tuple[int, int]], cut: int | None) -> bytes:
    """A sound zip around a damaged sheet: the damage reaches the reader itself."""
    archive = zipfile.ZipFile(io.BytesIO(HONEST))
    members = [
        Member(name, [(archive.read(name), 1)])
        for name in archive.namelist()
        if name != "xl/worksheets/sheet1.xml"
    ]
    return zip_of([*members, Member("xl/worksheets/sheet1.xml", [(_damage(HONEST_SHEET, cut, flips), 1)])])
