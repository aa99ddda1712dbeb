"""来访考察: the list with its export, a visit's page (with the lead created from it when it belongs
to no project yet), and the form that records or corrects a visit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
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
from zhaoshang.outreach.forms.activities import LeadForm, VisitForm
from zhaoshang.outreach.models import Contact, InvestorVisit
from zhaoshang.outreach.selectors import activities as reads
from zhaoshang.outreach.services import activities as activity_services
from zhaoshang.outreach.services.activities import VISIT_FIELDS
from zhaoshang.outreach.views.activities_common import TEMPLATES, form_page, history, lead_form, list_page


@requires(Action.VIEW_PIPELINE)
def visit_list(request: Request) -> HttpResponse:
    return list_page(
        request,
        filters.VisitListing.for_request(request),
        name="visits",
        sheet=filters.VISIT_SHEET,
        records=filters.visit_records,
        target_type="outreach.investorvisit",
    )


def _visit_page(request: Request, pk: int, form: LeadForm | None = None) -> HttpResponse:
    principal = request.principal
    visit = selectors.visit_for_page(principal, pk)
    can_write = services.may_write_for(principal, visit.unit)
    offers_lead = can_write and visit.project_id is None
    if offers_lead and form is None:
        form = lead_form(request, unit=visit.unit, investor=visit.company)
    project_seen = (
        visit.project_id is not None
        and reads.visible_projects(principal).filter(pk=visit.project_id).exists()
    )
    context = {
        "visit": visit,
        "hosts": visit.hosts.order_by("display_name", "pk"),
        "project_seen": project_seen,
        "leads": reads.leads_of(principal, visit=visit),
        "can_write": can_write,
        "lead_form": form if offers_lead else None,
        "history": history(request, visit),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, f"{TEMPLATES}/visit.html", context, status=status)


@requires(Action.VIEW_PIPELINE)
def visit_detail(request: Request, pk: int) -> HttpResponse:
    return _visit_page(request, pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def visit_lead(request: Request, pk: int) -> HttpResponse:
    """创建项目线索 from a visit with no project yet; the visit then belongs to the new project."""
    principal = request.principal
    visit = selectors.visit_for_page(principal, pk)
    form = lead_form(request, request.POST)
    project = submit(form, lambda d: activity_services.visit_lead(principal, visit, **d))
    if project is None:
        return _visit_page(request, pk, form)
    messages.success(request, f"已从本次来访创建项目线索：{project.name}。")
    return redirect("project-detail", pk=project.pk)


def _visit_form(request: Request, data: Any, visit: InvestorVisit | None = None, **kwargs: Any) -> VisitForm:
    principal = request.principal
    keep = Contact.objects.filter(pk=visit.contact_id) if visit and visit.contact_id else None
    projects = reads.pickable_projects(principal, keep=visit.project_id if visit else None)
    return VisitForm(
        data,
        units=references.writable_units(principal),
        leaders=references.nameable_leaders(principal),
        people=reads.with_current(
            references.nameable_people(principal), visit.hosts.all() if visit else None
        ),
        contacts=reads.pickable_contacts(principal, keep),
        projects=projects,
        editing=visit is not None,
        **kwargs,
    )


@requires(Action.EDIT_BUSINESS)
def visit_new(request: Request) -> HttpResponse:
    principal = request.principal
    form = _visit_form(request, request.POST or None)
    if request.method == "POST":

        def create(d: dict[str, Any]) -> InvestorVisit:
            fields = {k: v for k, v in d.items() if k in VISIT_FIELDS}
            return services.visit_create(principal, hosts=d["hosts"], **fields)

        visit = submit(form, create)
        if visit is not None:
            messages.success(request, f"已登记来访考察：{visit}。")
            return redirect("outreach-visit", pk=visit.pk)
    return form_page(request, form, "visit", None)


@requires(Action.EDIT_BUSINESS)
def visit_edit(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    visit = selectors.visit_for_page(principal, pk)
    if not services.may_write_for(principal, visit.unit):
        raise PermissionDenied("只能修改本单位（或所辖单位）的来访考察记录。")
    initial: dict[str, Any] = {k: getattr(visit, k) for k in VISIT_FIELDS}
    initial["hosts"] = list(visit.hosts.all())
    form = _visit_form(request, request.POST or None, visit, initial=initial)
    if request.method == "POST":

        def update(d: dict[str, Any]) -> list[str]:
            fields = {k: v for k, v in d.items() if k in VISIT_FIELDS}
            with transaction.atomic():
                changed = services.visit_update(principal, visit, fields, reason=d.get("reason") or "")
                if activity_services.visit_hosts_set(principal, visit, d["hosts"]):
                    changed.append("hosts")
            return changed

        changed = submit(form, update)
        if changed is not None:
            messages.success(request, "已保存修改。" if changed else "没有修改。")
            return redirect("outreach-visit", pk=visit.pk)
    return form_page(request, form, "visit", visit)


urlpatterns = [
    path("visits/", visit_list, name="outreach-visits"),
    path("visits/new/", visit_new, name="outreach-visit-new"),
    path("visits/<int:pk>/", visit_detail, name="outreach-visit"),
    path("visits/<int:pk>/edit/", visit_edit, name="outreach-visit-edit"),
    path("visits/<int:pk>/lead/", visit_lead, name="outreach-visit-lead"),
]
