"""Every list's export, one way: the rows through a `Sheet`, the filters in words, an audit event.

    return export_response(
        request,
        sheet=importer.sheet_for(request.principal, writable=False),
        records=importer.export_records(request.principal, request.GET),
        applied=listing.applied(),
        target_type="enterprises.enterprise",
    )

A list that has no import kind describes its columns all the same (`export_sheet("单位名录", [...])`),
so headers, units, choice labels and number formats come from one place. The file is the page:
the same rows, the same filters, names where the page shows names, never ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Model
from django.http import HttpResponse
from django.utils import timezone

from zhaoshang.core import audit
from zhaoshang.core.docx import DOCX_TYPE
from zhaoshang.core.http import Request
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.sheets import Column, Sheet, export_bytes
from zhaoshang.core.xlsx import XLSX_TYPE, download

EVERYTHING = "全部"
DOCUMENT_TYPES = {"xlsx": XLSX_TYPE, "docx": DOCX_TYPE}


def export_sheet(title: str, columns: Sequence[Column]) -> Sheet:
    """The description of a list that is exported but never imported."""
    return Sheet(kind="", title=title, columns=tuple(columns), key=())


def describe(applied: Sequence[tuple[str, str]]) -> str:
    """ "乡镇：甲镇；规模：规上", or "全部" when nothing narrows the list."""
    return "；".join(f"{label}：{value}" for label, value in applied) or EVERYTHING


def export_response(
    request: Request,
    *,
    sheet: Sheet,
    records: Iterable[dict[str, Any]],
    applied: Sequence[tuple[str, str]] = (),
    target_type: str,
    filename: str = "",
) -> HttpResponse:
    """The .xlsx download of a list as the user filtered it, recorded in the audit log."""
    notes = [
        ("导出内容", sheet.title),
        ("导出人", str(request.user)),
        ("导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        ("筛选条件", describe(applied)),
    ]
    return audited_download(
        request,
        data=export_bytes(sheet, records, notes),
        title=sheet.title,
        applied=applied,
        target_type=target_type,
        filename=filename,
    )


def audited_download(
    request: Request,
    *,
    data: bytes,
    title: str,
    applied: Sequence[tuple[str, str]] = (),
    target: Model | None = None,
    target_type: str = "",
    filename: str = "",
    extension: str = "xlsx",
) -> HttpResponse:
    """A workbook already written (several sheets, a report), or another document (`extension` "docx"),
    downloaded and recorded the same way."""
    audit.record(
        AuditEvent.Action.EXPORT,
        target,
        target_type=target_type,
        target_repr=title if target is None else "",
        after={"筛选条件": describe(applied)},
    )
    return download(data, f"{filename or title}.{extension}", DOCUMENT_TYPES[extension])


def wants_export(request: Request) -> bool:
    return request.GET.get("format") == "xlsx"
