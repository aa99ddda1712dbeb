"""The spreadsheet exports of projects and follow-ups: the list's filters, the user's scope, importable again.

Import and templates go through the shared import pages (`import-start`, `import-template`) by kind.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse

from zhaoshang.core import imports
from zhaoshang.core.exports import export_response
from zhaoshang.core.http import Request
from zhaoshang.projects.filters import ProjectFilter

KINDS = {"projects": "projects.project", "follow_ups": "projects.followup"}


def export(request: Request, kind: str, listing: ProjectFilter | None = None) -> HttpResponse:
    """The projects (or their follow-ups) the list shows under the filters in force."""
    principal = request.principal
    listing = listing or ProjectFilter.for_request(request)
    importer = imports.importer_for(kind)
    return export_response(
        request,
        sheet=importer.sheet_for(principal, writable=False),
        records=importer.export_records(principal, request.GET),
        applied=listing.applied(),
        target_type=KINDS[kind],
    )


def sheet_export(request: Request, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    return export(request, kind)
