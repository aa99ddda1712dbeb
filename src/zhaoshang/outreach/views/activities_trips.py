"""外出招商: the list with its export, a trip's page with the leads it brought, the form that records
or corrects a trip, and the lead created from it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
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
from zhaoshang.outreach.forms.activities import LeadForm, TripForm
from zhaoshang.outreach.models import Trip
from zhaoshang.outreach.selectors import activities as reads
from zhaoshang.outreach.services import activities as activity_services
from zhaoshang.outreach.services.activities import TRIP_FIELDS
from zhaoshang.outreach.views.activities_common import TEMPLATES, form_page, history, lead_form, list_page


@requires(Action.VIEW_PIPELINE)
def trip_list(request: Request) -> HttpResponse:
    return list_page(
        request,
        filters.TripListing.for_request(request),
        name="trips",
        sheet=filters.TRIP_SHEET,
        records=filters.trip_records,
        target_type="outreach.trip",
    )


def _first_company(trip: Trip) -> str:
    return next((x.strip() for x in trip.companies_met.splitlines() if x.strip()), "")


def _trip_page(request: Request, pk: int, form: LeadForm | None = None) -> HttpResponse:
    principal = request.principal
    trip = selectors.trip_for_page(principal, pk)
    can_write = services.may_write_for(principal, trip.unit)
    if can_write and form is None:
        form = lead_form(request, unit=trip.unit, investor=_first_company(trip))
    context = {
        "trip": trip,
        "days": (trip.ends_on - trip.starts_on).days + 1,
        "members": reads.members_with_units(trip),
        "contacts": trip.contacts.order_by("name", "pk"),
        "companies": [x.strip() for x in trip.companies_met.splitlines() if x.strip()],
        "leads": reads.leads_of(principal, trip=trip),
        "can_write": can_write,
        "lead_form": form if can_write else None,
        "history": history(request, trip),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, f"{TEMPLATES}/trip.html", context, status=status)


@requires(Action.VIEW_PIPELINE)
def trip_detail(request: Request, pk: int) -> HttpResponse:
    return _trip_page(request, pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def trip_lead(request: Request, pk: int) -> HttpResponse:
    """从本次外出创建项目线索: the project carries the trip as its origin and the trip's unit as 引入单位."""
    principal = request.principal
    trip = selectors.trip_for_page(principal, pk)
    form = lead_form(request, request.POST)
    project = submit(form, lambda d: activity_services.trip_lead(principal, trip, **d))
    if project is None:
        return _trip_page(request, pk, form)
    messages.success(request, f"已从本次外出创建项目线索：{project.name}。")
    return redirect("project-detail", pk=project.pk)


def _trip_form(request: Request, data: Any, trip: Trip | None = None, **kwargs: Any) -> TripForm:
    principal = request.principal
    return TripForm(
        data,
        units=references.writable_units(principal),
        leaders=references.nameable_leaders(principal),
        people=reads.with_current(
            references.nameable_people(principal), trip.members.all() if trip else None
        ),
        contacts=reads.pickable_contacts(principal, trip.contacts.all() if trip else None),
        editing=trip is not None,
        **kwargs,
    )


def _split(d: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = {k: v for k, v in d.items() if k in TRIP_FIELDS}
    return fields, {"members": d["members"], "contacts": d["contacts"]}


@requires(Action.EDIT_BUSINESS)
def trip_new(request: Request) -> HttpResponse:
    principal = request.principal
    form = _trip_form(request, request.POST or None)
    if request.method == "POST":

        def create(d: dict[str, Any]) -> Trip:
            fields, related = _split(d)
            return services.trip_create(principal, **related, **fields)

        trip = submit(form, create)
        if trip is not None:
            messages.success(request, f"已登记外出招商：{trip}。")
            return redirect("outreach-trip", pk=trip.pk)
    return form_page(request, form, "trip", None)


@requires(Action.EDIT_BUSINESS)
def trip_edit(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    trip = selectors.trip_for_page(principal, pk)
    if not services.may_write_for(principal, trip.unit):
        raise PermissionDenied("只能修改本单位（或所辖单位）的外出招商记录。")
    initial = {k: getattr(trip, k) for k in TRIP_FIELDS}
    initial |= {"members": list(trip.members.all()), "contacts": list(trip.contacts.all())}
    form = _trip_form(request, request.POST or None, trip, initial=initial)
    if request.method == "POST":

        def update(d: dict[str, Any]) -> list[str]:
            fields, related = _split(d)
            return services.trip_update(principal, trip, fields, reason=d.get("reason") or "", **related)

        changed = submit(form, update)
        if changed is not None:
            messages.success(request, "已保存修改。" if changed else "没有修改。")
            return redirect("outreach-trip", pk=trip.pk)
    return form_page(request, form, "trip", trip)


urlpatterns = [
    path("trips/", trip_list, name="outreach-trips"),
    path("trips/new/", trip_new, name="outreach-trip-new"),
    path("trips/<int:pk>/", trip_detail, name="outreach-trip"),
    path("trips/<int:pk>/edit/", trip_edit, name="outreach-trip-edit"),
    path("trips/<int:pk>/lead/", trip_lead, name="outreach-trip-lead"),
]
