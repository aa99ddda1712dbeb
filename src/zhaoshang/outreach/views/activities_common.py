"""What the pages of trips, visits and events share: the lead form, the record history, the list page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import render

from zhaoshang.core import audit
from zhaoshang.core.exports import export_response, wants_export
from zhaoshang.core.http import Request
from zhaoshang.core.lists import ScopedFilterSet, render_list
from zhaoshang.core.roles import Action
from zhaoshang.core.sheets import Sheet
from zhaoshang.org import references
from zhaoshang.org.models import Unit
from zhaoshang.outreach.forms.activities import LeadForm

TEMPLATES = "outreach/activities"


def lead_form(
    request: Request, data: Any = None, *, unit: Unit | None = None, investor: str = ""
) -> LeadForm:
    """The compact form that turns a trip or a visit into a project lead, with what is known filled in."""
    principal = request.principal
    towns = references.writable_units(principal, "town")
    initial: dict[str, Any] = {"investor_name": investor, "name": f"{investor}项目" if investor else ""}
    if unit is not None:
        initial["lead_unit"] = unit.pk
        if towns.filter(pk=unit.pk).exists():
            initial["town"] = unit.pk
    return LeadForm(data, towns=towns, units=references.writable_units(principal), initial=initial)


def history(request: Request, record: Model) -> Any:
    return audit.history(record) if request.principal.can(Action.VIEW_RECORD_HISTORY) else []


def list_page(
    request: Request,
    listing: ScopedFilterSet,
    *,
    name: str,
    sheet: Sheet,
    records: Callable[[Any], Iterator[dict[str, Any]]],
    target_type: str,
) -> HttpResponse:
    """A list of trips, visits or events, or its export: the same filters, the same rows."""
    if wants_export(request):
        return export_response(
            request,
            sheet=sheet,
            records=records(listing.qs),
            applied=listing.applied(),
            target_type=target_type,
            filename=sheet.title,
        )
    context = {"can_write": request.principal.can(Action.EDIT_BUSINESS)}
    return render_list(request, f"{TEMPLATES}/{name}.html", f"{TEMPLATES}/_{name}.html", listing, context)


# The new/edit form of each kind of activity: its name, the tab it sits under, its list and page.
FORM_PAGES = {
    "trip": ("外出招商", "trips", "outreach-trips", "outreach-trip", "trip-form"),
    "visit": ("来访考察", "visits", "outreach-visits", "outreach-visit", "visit-form"),
    "event": ("招商活动", "events", "outreach-events", "outreach-event", "event-form"),
}


def form_page(request: Request, form: Any, kind: str, record: Model | None) -> HttpResponse:
    """One template for registering or changing a trip, a visit or an event."""
    what, here, list_name, detail_name, form_id = FORM_PAGES[kind]
    context = {
        "form": form,
        "record": record,
        "what": what,
        "here": here,
        "list_name": list_name,
        "detail_name": detail_name,
        "form_id": form_id,
    }
    return render(
        request, "outreach/activities/record_form.html", context, status=400 if form.errors else 200
    )
