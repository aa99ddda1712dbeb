"""A small Word (.docx) writer: headings, paragraphs and tables, enough for minutes and notices.

WordprocessingML written with the standard library (no python-docx in the dependencies): a document is
a list of blocks, `Document.bytes()` the file. Text is XML-escaped; fonts name a CJK face so Word and
WPS show the Chinese as written.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape, unescape

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FONT = "宋体"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def _run(text: str, *, bold: bool = False, size: int = 24) -> str:
    props = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}"/>'
    props += "<w:b/>" if bold else ""
    props += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    lines = text.split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return f"<w:r><w:rPr>{props}</w:rPr>{body}</w:r>"


def _paragraph(text: str, *, bold: bool = False, size: int = 24, center: bool = False) -> str:
    align = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    return f"<w:p>{align}{_run(text, bold=bold, size=size)}</w:p>"


class Document:
    def __init__(self) -> None:
        self.blocks: list[str] = []

    def title(self, text: str) -> None:
        self.blocks.append(_paragraph(text, bold=True, size=36, center=True))

    def heading(self, text: str) -> None:
        self.blocks.append(_paragraph(text, bold=True, size=28))

    def paragraph(self, text: str) -> None:
        self.blocks.append(_paragraph(text))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        border = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        props = f'<w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>{border}</w:tblBorders></w:tblPr>'

        def row(cells: Sequence[str], bold: bool) -> str:
            return (
                "<w:tr>"
                + "".join(f"<w:tc>{_paragraph(c, bold=bold, size=21)}</w:tc>" for c in cells)
                + "</w:tr>"
            )

        body = row(header, True) + "".join(row(r, False) for r in rows)
        self.blocks.append(f"<w:tbl>{props}{body}</w:tbl><w:p/>")

    def bytes(self) -> bytes:
        document = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W}"><w:body>{"".join(self.blocks)}'
            '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
            '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr>'
            "</w:body></w:document>"
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", CONTENT_TYPES)
            z.writestr("_rels/.rels", RELS)
            z.writestr("word/document.xml", document)
        return out.getvalue()


def text_of(data: bytes) -> str:
    """The document's text, paragraph by paragraph (for tests and previews)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p>(.*?)</w:p>", xml)
    return "\n".join(
        "".join(unescape(t) for t in re.findall(r"<w:t[^>]*>(.*?)</w:t>", p)) for p in paragraphs
    )
