"""The small Word writer: a valid package whose text reads back as written, markup escaped."""

from __future__ import annotations

import io
import zipfile

from zhaoshang.core.docx import Document, text_of


def test_a_document_reads_back_as_written() -> None:
    doc = Document()
    doc.title("项目预审委员会会议纪要")
    doc.paragraph("投资方：<某> & 公司\n第二行")
    doc.table(["委员", "表决"], [["王强", "同意"]])
    data = doc.bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert set(z.namelist()) == {"[Content_Types].xml", "_rels/.rels", "word/document.xml"}
        assert "&lt;某&gt; &amp; 公司" in z.read("word/document.xml").decode()
    text = text_of(data)
    assert "项目预审委员会会议纪要" in text and "投资方：<某> & 公司第二行" in text
    assert "王强" in text and "同意" in text
