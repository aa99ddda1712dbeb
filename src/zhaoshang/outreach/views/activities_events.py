"""推介会、签约仪式、集中开工/竣工仪式: the list with its export, an event's page following each project
signed, started or completed there "一项一项" as it stands today, and the forms that record an event
and add a project to it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import requires, submit
from zhaoshang.org import references
from zhaoshang.outreach import selectors, services
from zhaoshang.outreach.filters import activities as filters
from zhaoshang.outreach.forms.activities import EventForm, EventProjectForm
from zhaoshang.outreach.models import Event
from zhaoshang.outreach.selectors import activities as reads
from zhaoshang.outreach.views.activities_common import TEMPLATES, form_page, history, list_page


@requires(Action.VIEW_PIPELINE)
def event_list(request: Request) -> HttpResponse:
    return list_page(
        request,
        filters.EventListing.for_request(request),
        name="events",
        sheet=filters.EVENT_SHEET,
        records=filters.event_records,
        target_type="outreach.event",
    )


def _project_form(request: Request, event: Event, data: object = None) -> EventProjectForm:
    return EventProjectForm(data, projects=reads.pickable_projects(request.principal, event.county))


def _event_page(request: Request, pk: int, form: EventProjectForm | None = None) -> HttpResponse:
    principal = request.principal
    event = selectors.event_for_page(principal, pk)
    can_write = services.may_write_for(principal, event.unit)
    if can_write and form is None:
        form = _project_form(request, event)
    context = {
        "event": event,
        "followed": reads.event_rows(principal, event),
        "leads": reads.leads_of(principal, event=event),
        "can_write": can_write,
        "add_form": form if can_write else None,
        "history": history(request, event),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, f"{TEMPLATES}/event.html", context, status=status)


@requires(Action.VIEW_PIPELINE)
def event_detail(request: Request, pk: int) -> HttpResponse:
    return _event_page(request, pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def event_add_project(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    event = selectors.event_for_page(principal, pk)
    form = _project_form(request, event, request.POST)
    row = submit(
        form,
        lambda d: services.event_add_project(principal, event, d["project"], d["role"], d["amount"]),
    )
    if row is None:
        return _event_page(request, pk, form)
    messages.success(request, f"已登记：{row.project.name}（{row.get_role_display()}）。")
    return redirect("outreach-event", pk=pk)


@requires(Action.EDIT_BUSINESS)
def event_new(request: Request) -> HttpResponse:
    principal = request.principal
    form = EventForm(request.POST or None, units=references.writable_units(principal))
    if request.method == "POST":
        event = submit(form, lambda d: services.event_create(principal, **d))
        if event is not None:
            messages.success(request, f"已登记招商活动：{event.name}。")
            return redirect("outreach-event", pk=event.pk)
    return form_page(request, form, "event", None)


urlpatterns = [
    path("events/", event_list, name="outreach-events"),
    path("events/new/", event_new, name="outreach-event-new"),
    path("events/<int:pk>/", event_detail, name="outreach-event"),
    path("events/<int:pk>/projects/", event_add_project, name="outreach-event-project"),
]
