"""Who brought a project in: the project's origin and its referrer claims, the claims to work on
(for the recognising unit, 发改局), a claim with its decision, the register of recognised
referrers, and the older projects whose free-text referrer is still to be matched."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from zhaoshang.core import audit
from zhaoshang.core.exports import export_response, wants_export
from zhaoshang.core.http import Request
from zhaoshang.core.lists import render_list
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import requires, submit
from zhaoshang.org import references
from zhaoshang.org.models import Unit
from zhaoshang.outreach import services
from zhaoshang.outreach.filters.referrers import CLAIM_SHEET, ClaimListing, claim_records
from zhaoshang.outreach.forms.referrers import ClaimForm, DecisionForm, OriginForm
from zhaoshang.outreach.models import Agreement, Contact, Event, InvestorVisit, ReferrerClaim, Trip
from zhaoshang.outreach.selectors import claim_for_page
from zhaoshang.outreach.selectors import register as reads
from zhaoshang.projects import selectors as project_selectors
from zhaoshang.projects.models import Project

RECENT = 200  # the pickers of a project's origin offer the county's latest records


def _county(project: Project) -> Unit:
    return Unit.objects.get(path=project.town.jurisdiction_path)


def _origin_form(request: Request, project: Project, data: Any = None) -> OriginForm:
    principal = request.principal
    county = _county(project)
    origin = reads.origin_of(project)
    initial = {k: getattr(origin, k) for k in services.activities.ORIGIN_FIELDS} if origin else {}
    within = {"county": county}
    return OriginForm(
        data,
        units=Unit.objects.visible_to(principal)
        .filter(path__startswith=county.path, is_active=True)
        .order_by("path"),
        trips=Trip.objects.visible_to(principal).filter(**within).order_by("-starts_on", "-pk")[:RECENT],
        visits=InvestorVisit.objects.visible_to(principal).filter(**within).order_by("-on", "-pk")[:RECENT],
        events=Event.objects.visible_to(principal).filter(**within).order_by("-on", "-pk")[:RECENT],
        agreements=Agreement.objects.visible_to(principal).filter(**within).order_by("-signed_on"),
        initial=initial,
    )


def _claim_form(request: Request, project: Project, data: Any = None) -> ClaimForm:
    principal = request.principal
    contacts = (
        Contact.objects.visible_to(principal).filter(county=_county(project), active=True).order_by("name")
    )
    return ClaimForm(data, contacts=contacts, units=references.writable_units(principal))


def _project_page(request: Request, pk: int, **bound: Any) -> HttpResponse:
    principal = request.principal
    project = project_selectors.project_for_page(principal, pk)
    can_edit = principal.can(Action.EDIT_BUSINESS)
    context = {
        "p": project,
        "origin": reads.origin_of(project),
        "claims": reads.project_claims(project),
        "origin_form": bound.get("origin_form") or (_origin_form(request, project) if can_edit else None),
        "claim_form": bound.get("claim_form") or (_claim_form(request, project) if can_edit else None),
    }
    return render(request, "outreach/referrers/project.html", context, status=400 if bound else 200)


@requires(Action.VIEW_PIPELINE)
def project_origin(request: Request, pk: int) -> HttpResponse:
    return _project_page(request, pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def project_origin_save(request: Request, pk: int) -> HttpResponse:
    project = project_selectors.project_for_page(request.principal, pk)
    form = _origin_form(request, project, request.POST)
    if submit(form, lambda d: services.origin_set(request.principal, project, **d)):
        messages.success(request, "已保存项目来源。")
        return redirect("outreach-project", pk=pk)
    return _project_page(request, pk, origin_form=form)


@require_POST
@requires(Action.EDIT_BUSINESS)
def claim_new(request: Request, pk: int) -> HttpResponse:
    project = project_selectors.project_for_page(request.principal, pk)
    form = _claim_form(request, project, request.POST)
    claim = submit(form, lambda d: services.claim_file(request.principal, project, **d))
    if claim is not None:
        messages.success(request, f"已申报引资人“{claim.referrer.name}”，待{_recogniser(project)}核实认定。")
        return redirect("outreach-claim", pk=claim.pk)
    return _project_page(request, pk, claim_form=form)


def _recogniser(project: Project) -> str:
    unit = services.recognising_unit(_county(project))
    return unit.name if unit else "引资人认定单位"


def _allowed(claim: ReferrerClaim) -> list[str]:
    return {"claimed": ["verify", "refuse"], "verified": ["recognise", "refuse"]}.get(claim.status, [])


def _claim_page(request: Request, pk: int, form: Any = None) -> HttpResponse:
    principal = request.principal
    claim = claim_for_page(principal, pk)
    county = _county(claim.project)
    can_decide = services.may_recognise(principal, county) and bool(_allowed(claim))
    context = {
        "c": claim,
        "rivals": services.competing(claim),
        "recogniser": _recogniser(claim.project),
        "form": form or (DecisionForm(allowed=_allowed(claim)) if can_decide else None),
        "history": audit.history(claim) if principal.can(Action.VIEW_RECORD_HISTORY) else [],
    }
    return render(request, "outreach/referrers/claim.html", context, status=400 if form is not None else 200)


@requires(Action.VIEW_PIPELINE)
def claim_detail(request: Request, pk: int) -> HttpResponse:
    return _claim_page(request, pk)


DECIDE = {
    "verify": lambda by, claim, note: services.claim_verify(by, claim, note),
    "recognise": lambda by, claim, note: services.claim_recognise(by, claim, note),
    "refuse": lambda by, claim, note: services.claim_refuse(by, claim, note),
}


@require_POST
@requires(Action.EDIT_BUSINESS)
def claim_decide(request: Request, pk: int) -> HttpResponse:
    claim = claim_for_page(request.principal, pk)
    form = DecisionForm(request.POST, allowed=_allowed(claim) or ["verify"])
    done = submit(form, lambda d: DECIDE[d["decision"]](request.principal, claim, d["note"]))
    if done is not None:
        messages.success(request, f"引资人申报已{claim.get_status_display()}。")
        return redirect("outreach-claim", pk=pk)
    return _claim_page(request, pk, form)


@requires(Action.VIEW_PIPELINE)
def claim_list(request: Request) -> HttpResponse:
    listing = ClaimListing.for_request(request)
    if wants_export(request):
        return export_response(
            request,
            sheet=CLAIM_SHEET,
            records=claim_records(listing.qs),
            applied=listing.applied(),
            target_type="引资人认定",
            filename="引资人认定",
        )
    return render_list(
        request, "outreach/referrers/claims.html", "outreach/referrers/_claims.html", listing, {}
    )


@requires(Action.VIEW_PIPELINE)
def register(request: Request) -> HttpResponse:
    rows = reads.register(request.principal)
    return render(request, "outreach/referrers/register.html", {"rows": rows})


@requires(Action.VIEW_PIPELINE)
def unmatched(request: Request) -> HttpResponse:
    principal = request.principal
    context = {"rows": reads.unmatched(principal), "can_match": principal.can(Action.CONFIGURE_RULES)}
    return render(request, "outreach/referrers/unmatched.html", context)


@require_POST
@requires(Action.CONFIGURE_RULES)
def match(request: Request) -> HttpResponse:
    county = references.configured_jurisdiction(request.principal)
    got = services.match_free_text(request.principal, county)
    messages.success(
        request,
        f"已按登记的联络对象匹配 {got['matched']} 个项目的引荐人（待核实认定），{got['unmatched']} 个未能匹配。",
    )
    return redirect("outreach-unmatched")


urlpatterns = [
    path("projects/<int:pk>/", project_origin, name="outreach-project"),
    path("projects/<int:pk>/origin/", project_origin_save, name="outreach-project-origin"),
    path("projects/<int:pk>/claims/", claim_new, name="outreach-claim-new"),
    path("claims/", claim_list, name="outreach-claims"),
    path("claims/<int:pk>/", claim_detail, name="outreach-claim"),
    path("claims/<int:pk>/decide/", claim_decide, name="outreach-claim-decide"),
    path("referrers/", register, name="outreach-register"),
    path("referrers/unmatched/", unmatched, name="outreach-unmatched"),
    path("referrers/unmatched/match/", match, name="outreach-match"),
]
