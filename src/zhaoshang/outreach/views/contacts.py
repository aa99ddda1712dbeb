"""Pages of the outreach app: contacts (the list and its export, a contact's page with its history and
encounters, the forms), commission agreements (委托招商协议: the list, a page with the projects brought
under it, the form), and the links speech 000 prescribes (teams and towns with a chamber or
association, each 驻外招商分局 with its leadership body and county leader)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

import zhaoshang.outreach.selectors.contacts as reads
from zhaoshang.core import audit
from zhaoshang.core.exports import export_response, wants_export
from zhaoshang.core.http import Request
from zhaoshang.core.lists import render_list
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.views_helpers import form_problems, requires, submit
from zhaoshang.org import references
from zhaoshang.org.models import Unit
from zhaoshang.outreach import selectors, services
from zhaoshang.outreach.filters.contacts import (
    CONTACT_SHEET,
    AgreementListing,
    ContactListing,
    contact_records,
)
from zhaoshang.outreach.forms.contacts import (
    AgreementForm,
    AgreementProjectsForm,
    ContactForm,
    EncounterForm,
    OfficeLinkForm,
)
from zhaoshang.outreach.models import Contact
from zhaoshang.outreach.services.contacts import CONTACT_FIELDS

T = "outreach/contacts/"


def _may_write(principal: Principal) -> bool:
    return principal.can(Action.EDIT_BUSINESS) and not principal.read_only


def _coordinates(principal: Principal, county: Unit) -> bool:
    """The county's coordinator (who makes agreements and sets the offices' links)."""
    try:
        services.require_coordinator(principal, county)
    except PermissionDenied:
        return False
    return True


def _history(principal: Principal, record: Any) -> Any:
    return audit.history(record) if principal.can(Action.VIEW_RECORD_HISTORY) else []


# --- contacts ------------------------------------------------------------------------------------------


@requires(Action.VIEW_PIPELINE)
def contact_list(request: Request) -> HttpResponse:
    principal = request.principal
    listing = ContactListing.for_request(request)
    if wants_export(request):
        return export_response(
            request,
            sheet=CONTACT_SHEET,
            records=contact_records(principal, listing.qs),
            applied=listing.applied(),
            target_type=Contact._meta.label_lower,
        )
    context = {"phones": reads.PhoneAsSeen(principal), "can_write": _may_write(principal)}
    return render_list(request, T + "list.html", T + "_table.html", listing, context)


def _contact_page(request: Request, pk: int, encounter_form: Any = None, status: int = 200) -> HttpResponse:
    principal = request.principal
    contact = selectors.contact_for_page(principal, pk)
    claims = reads.referrer_claims(principal, contact)
    if encounter_form is None and _may_write(principal):
        encounter_form = EncounterForm(units=references.writable_units(principal))
    context = {
        "c": contact,
        "phone": selectors.contact_phone(principal, contact),
        "linked_units": contact.linked_units.order_by("path"),
        "entries": reads.contact_history(principal, contact, claims),
        "claims": claims,
        "badges": {"recognised": "success", "refused": "secondary"},  # open claims: "warning"
        "encounter_form": encounter_form,
        "can_edit": services.may_write_for(principal, contact.keeper_unit),
        "history": reads.contact_record_history(principal, contact)
        if principal.can(Action.VIEW_RECORD_HISTORY)
        else [],
    }
    return render(request, T + "detail.html", context, status=status)


@requires(Action.VIEW_PIPELINE)
def contact_detail(request: Request, pk: int) -> HttpResponse:
    return _contact_page(request, pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def encounter_add(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    contact = selectors.contact_for_page(principal, pk)
    form = EncounterForm(request.POST, units=references.writable_units(principal))
    if submit(form, lambda d: services.encounter_add(principal, contact, **d)):
        messages.success(request, f"已登记与{contact.name}的联络记录。")
        return redirect("outreach-contact", pk=pk)
    return _contact_page(request, pk, form, status=400)


def _contact_form(request: Request, data: Any = None, **kwargs: Any) -> ContactForm:
    principal = request.principal
    units = references.writable_units(principal)
    return ContactForm(
        data,
        units=units,
        leaders=references.nameable_leaders(principal),
        linkable=units.filter(kind__code__in=("team", "town")),
        **kwargs,
    )


def _contact_values(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in CONTACT_FIELDS or k == "linked_units"}


@requires(Action.EDIT_BUSINESS)
def contact_new(request: Request) -> HttpResponse:
    principal = request.principal
    form = _contact_form(request, request.POST or None)
    if request.method == "POST" and (
        contact := submit(form, lambda d: services.contact_create(principal, **_contact_values(d)))
    ):
        messages.success(request, f"已登记联络对象“{contact.name}”。")
        return redirect("outreach-contact", pk=contact.pk)
    status = 400 if form.errors else 200
    return render(request, T + "form.html", {"form": form, "c": None}, status=status)


@requires(Action.EDIT_BUSINESS)
def contact_edit(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    contact = selectors.contact_for_page(principal, pk)
    services.require_unit_writer(principal, contact.keeper_unit)
    initial = {name: getattr(contact, name) for name in CONTACT_FIELDS}
    initial["linked_units"] = list(contact.linked_units.all())
    form = _contact_form(request, request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and (
        submit(
            form,
            lambda d: services.contact_update(principal, contact, _contact_values(d), reason=d["reason"]),
        )
        is not None
    ):
        messages.success(request, f"已保存联络对象“{contact.name}”。")
        return redirect("outreach-contact", pk=pk)
    status = 400 if form.errors else 200
    return render(request, T + "form.html", {"form": form, "c": contact}, status=status)


# --- agreements ----------------------------------------------------------------------------------------


@requires(Action.VIEW_PIPELINE)
def agreement_list(request: Request) -> HttpResponse:
    listing = AgreementListing.for_request(request)
    context = {
        "today": timezone.localdate(),
        "can_configure": request.principal.can(Action.CONFIGURE_RULES),
    }
    return render_list(request, T + "agreements.html", T + "_agreements.html", listing, context)


def _agreement_page(request: Request, pk: int, form: Any = None, status: int = 200) -> HttpResponse:
    principal = request.principal
    agreement = selectors.agreement_for_page(principal, pk)
    can_add = _coordinates(principal, agreement.county)
    if form is None and can_add:
        form = AgreementProjectsForm(choices=reads.project_choices(principal, agreement))
    context = {
        "a": agreement,
        "projects": reads.agreement_projects(principal, agreement),
        "form": form if can_add else None,
        "today": timezone.localdate(),
        "history": _history(principal, agreement),
    }
    return render(request, T + "agreement.html", context, status=status)


@requires(Action.VIEW_PIPELINE)
def agreement_detail(request: Request, pk: int) -> HttpResponse:
    return _agreement_page(request, pk)


@require_POST
@requires(Action.CONFIGURE_RULES)
def agreement_projects(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    agreement = selectors.agreement_for_page(principal, pk)
    services.require_coordinator(principal, agreement.county)
    form = AgreementProjectsForm(request.POST, choices=reads.project_choices(principal, agreement))
    added = submit(form, lambda d: services.agreement_add_projects(principal, agreement, d["projects"]))
    if added is not None:
        messages.success(request, f"已将 {added} 个项目列入本协议。")
        return redirect("outreach-agreement", pk=pk)
    return _agreement_page(request, pk, form, status=400)


@requires(Action.CONFIGURE_RULES)
def agreement_new(request: Request) -> HttpResponse:
    principal = request.principal
    county = references.configured_jurisdiction(principal)
    form = AgreementForm(request.POST or None, parties=reads.agreement_parties(principal, county))
    if request.method == "POST" and (
        agreement := submit(form, lambda d: services.agreement_create(principal, county, **d))
    ):
        messages.success(request, f"已登记委托招商协议“{agreement.title}”。")
        return redirect("outreach-agreement", pk=agreement.pk)
    status = 400 if form.errors else 200
    return render(request, T + "agreement_form.html", {"form": form}, status=status)


# --- the links speech 000 prescribes ------------------------------------------------------------------


def _office_form_parts(principal: Principal, rows: list[reads.OfficeRow]) -> dict[str, Any]:
    """What every office's form on the page shares: its county's offices, bodies and leaders."""
    county = references.configured_jurisdiction(principal)
    return {
        "offices": [r.office for r in rows if r.office.path.startswith(county.path)],
        "bodies": list(reads.leadership_bodies(county)),
        "leaders": list(references.nameable_leaders(principal)),
    }


def _links_page(request: Request, bound: OfficeLinkForm | None = None, status: int = 200) -> HttpResponse:
    principal = request.principal
    rows = reads.office_links(principal)
    forms: dict[int, OfficeLinkForm] = {}
    if principal.can(Action.CONFIGURE_RULES):
        parts = _office_form_parts(principal, rows)
        links = {r.office.pk: r.link for r in rows}
        for office in parts["offices"]:
            link = links[office.pk]
            initial = {"office": office.pk}
            if link is not None:
                initial |= {"body": link.body_id, "leader": link.leader_id, "region": link.region}
            forms[office.pk] = OfficeLinkForm(initial=initial, key=office.pk, **parts)
        if bound is not None and bound.key in forms:
            forms[bound.key] = bound
    units = reads.unit_links(principal)
    context = {
        "units": units,
        "unlinked": [u.unit for u in units if not u.linked],
        "offices": [(r, forms.get(r.office.pk)) for r in rows],
        "can_configure": bool(forms),
    }
    return render(request, T + "links.html", context, status=status)


@requires(Action.VIEW_PIPELINE)
def links(request: Request) -> HttpResponse:
    return _links_page(request)


@require_POST
@requires(Action.CONFIGURE_RULES)
def office_link(request: Request) -> HttpResponse:
    principal = request.principal
    parts = _office_form_parts(principal, reads.office_links(principal))
    raw = request.POST.get("office", "")
    form = OfficeLinkForm(request.POST, key=int(raw) if raw.isdecimal() else "", **parts)
    done = submit(
        form,
        lambda d: services.office_link_set(
            principal, d["office"], body=d["body"], leader=d["leader"], region=d["region"]
        ),
    )
    if done is not None:
        messages.success(request, f"已明确{done.office.name}的牵头领导机关和联系县领导。")
        return redirect("outreach-links")
    if form.key not in {o.pk for o in parts["offices"]}:
        messages.error(request, form_problems(form))
    return _links_page(request, form, status=400)


urlpatterns = [
    path("contacts/", contact_list, name="outreach-contacts"),
    path("contacts/new/", contact_new, name="outreach-contact-new"),
    path("contacts/<int:pk>/", contact_detail, name="outreach-contact"),
    path("contacts/<int:pk>/edit/", contact_edit, name="outreach-contact-edit"),
    path("contacts/<int:pk>/encounters/", encounter_add, name="outreach-contact-encounter"),
    path("agreements/", agreement_list, name="outreach-agreements"),
    path("agreements/new/", agreement_new, name="outreach-agreement-new"),
    path("agreements/<int:pk>/", agreement_detail, name="outreach-agreement"),
    path("agreements/<int:pk>/projects/", agreement_projects, name="outreach-agreement-projects"),
    path("links/", links, name="outreach-links"),
    path("links/offices/", office_link, name="outreach-office-link"),
]
