"""The spreadsheet export of projects and follow-ups: the list's filters, the user's scope, importable again.

Import and templates go through the shared import pages (`import-start`, `import-template`) by kind.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse

from zhaoshang.core import audit, imports
from zhaoshang.core.http import Request
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.xlsx import download
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.projects.forms import ProjectFilterForm

KINDS = {"projects": "projects.project", "follow_ups": "projects.followup"}


def sheet_export(request: Request, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    principal = request.principal
    form = ProjectFilterForm(request.GET or None, towns=enterprise_selectors.towns(principal))
    filters: dict[str, Any] = dict(form.cleaned_data) if form.is_valid() else {}
    filters["mine"] = request.GET.get("mine") == "1"
    data = imports.export(kind, principal, filters)
    label = imports.importer_for(kind).label
    audit.record(
        AuditEvent.Action.EXPORT,
        target_type=KINDS[kind],
        target_repr=label,
        after={"filters": request.GET.urlencode()},
    )
    return download(data, f"{label}.xlsx")
