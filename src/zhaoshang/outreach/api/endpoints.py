"""招商活动与渠道 endpoints: the contacts (phones as the reader may see them), trips, investor visits,
events with the projects signed or started at them, and the referrer claims; a trip and a visit are
recorded through the services.

Everything is read as the pages read it: for the roles that follow the pipeline (others 403), the
records each person sees (`visible_to`; another county's record answers 404). Writes go through the
services, which let in the unit's own staff (and those above it) and the county's coordinators, and
audit what they write. Refusals are answered by the API's handlers (`zhaoshang.core.api.errors`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, QuerySet
from ninja import Router, Status
from ninja.pagination import paginate

from zhaoshang.core.api.responses import responses
from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.validators import storable_text_problem
from zhaoshang.org.models import Unit, User
from zhaoshang.org.references import nameable_leaders
from zhaoshang.outreach import selectors, services
from zhaoshang.outreach.api.schemas import (
    Category,
    ClaimOut,
    ClaimState,
    ContactDetailOut,
    ContactOut,
    EventDetailOut,
    EventOut,
    RecordId,
    Region,
    TripDetailOut,
    TripIn,
    TripOut,
    VisitDetailOut,
    VisitIn,
    VisitOut,
)
from zhaoshang.outreach.models import Contact, Event, InvestorVisit, ReferrerClaim, Trip
from zhaoshang.projects.api.refusals import named_as
from zhaoshang.projects.models import Project

router = Router(tags=["outreach"])

# The services name the model's fields; the API names its own where they differ.
FIELDS = {
    "unit": "unit_id",
    "leader": "leader_id",
    "members": "member_ids",
    "contacts": "contact_ids",
    "hosts": "host_ids",
    "contact": "contact_id",
    "project": "project_id",
}
LABELS = {
    "destination": "目的地",
    "purpose": "主要任务",
    "companies_met": "对接的企业",
    "summary": "成效",
    "company": "来访企业",
    "visitors": "来访人员",
    "sites": "考察地点",
    "outcome": "成果",
    "q": "搜索",
}


# ---------------------------------------------------------------- helpers


def _reader(request: Request) -> Principal:
    """The outreach is for the roles that follow the pipeline; others are refused (403)."""
    principal = request.principal
    if not principal.can(Action.VIEW_PIPELINE):
        raise PermissionDenied("您的角色无权查看招商活动与渠道。")
    return principal


def _storable(**texts: str) -> None:
    """Text the database cannot keep (NUL, lone surrogates) is refused here, not by a 500 from the driver."""
    problems = {k: f"{LABELS[k]}：{p}" for k, v in texts.items() if (p := storable_text_problem(v))}
    if problems:
        raise ValidationError(problems)


def _unit(unit_id: int, label: str) -> Unit:
    unit = Unit.objects.select_related("kind").filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError({"unit_id": f"{label}：没有这个单位"})
    return unit


def _leader(principal: Principal, leader_id: int | None, label: str) -> User | None:
    if leader_id is None:
        return None
    leader = nameable_leaders(principal).filter(pk=leader_id).first()
    if leader is None:
        raise ValidationError({"leader_id": f"{label}：只能选择您所在区域的县级领导"})
    return leader


def _people(ids: list[int], field: str, label: str) -> list[User]:
    found = list(User.objects.filter(pk__in=set(ids), is_active=True).order_by("pk"))
    missing = sorted(set(ids) - {u.pk for u in found})
    if missing:
        raise ValidationError({field: f"{label}：编号 {'、'.join(map(str, missing))} 的人员不存在"})
    return found


def _contacts(principal: Principal, ids: list[int], field: str, label: str) -> list[Contact]:
    found = list(selectors.contact_rows(principal).filter(pk__in=set(ids)).order_by("pk"))
    missing = sorted(set(ids) - {c.pk for c in found})
    if missing:
        joined = "、".join(map(str, missing))
        raise ValidationError({field: f"{label}：编号 {joined} 的联络对象不存在或不在您的查看范围内"})
    return found


def _trips(principal: Principal) -> QuerySet[Trip]:
    rows: QuerySet[Trip] = Trip.objects.visible_to(principal)
    return rows.select_related("unit", "leader")


def _visits(principal: Principal) -> QuerySet[InvestorVisit]:
    seen = Project.objects.visible_to(principal).filter(pk=OuterRef("project_id"))
    rows: QuerySet[InvestorVisit] = InvestorVisit.objects.visible_to(principal)
    return rows.select_related("unit", "leader", "contact", "project").annotate(project_seen=Exists(seen))


def _events(principal: Principal) -> QuerySet[Event]:
    rows: QuerySet[Event] = Event.objects.visible_to(principal)
    return rows.select_related("unit").annotate(project_count=Count("projects"))


def _claims(principal: Principal) -> QuerySet[ReferrerClaim]:
    rows: QuerySet[ReferrerClaim] = ReferrerClaim.objects.visible_to(principal)
    return rows.select_related("project", "referrer", "claimant_unit", "decided_by")


# ---------------------------------------------------------------- contacts


@router.get(
    "/contacts", response=responses(list[ContactOut]), summary="招商联络对象（商会、协会、乡友企业家 …）"
)
@paginate
def list_contacts(
    request: Request, q: str = "", category: Category | None = None, unit_id: RecordId | None = None
) -> object:
    """By name; phones masked for those who do not keep the contact."""
    principal = _reader(request)
    _storable(q=q)
    rows = selectors.contact_rows(principal).prefetch_related("linked_units")
    if q.strip():
        rows = rows.filter(name__icontains=q.strip())
    if category:
        rows = rows.filter(kind=category)
    if unit_id is not None:
        rows = rows.filter(keeper_unit_id=unit_id)
    return rows.order_by("name", "pk")


@router.get(
    "/contacts/{contact_id}", response=responses(ContactDetailOut), summary="联络对象详情（含联络记录）"
)
def get_contact(request: Request, contact_id: RecordId) -> Contact:
    return selectors.contact_for_page(_reader(request), contact_id)


# ---------------------------------------------------------------- trips


@router.get("/trips", response=responses(list[TripOut]), summary="外出招商（按出发日期倒序）")
@paginate
def list_trips(request: Request, unit_id: RecordId | None = None, region: Region | None = None) -> object:
    rows = _trips(_reader(request))
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    if region:
        rows = rows.filter(region=region)
    return rows.order_by("-starts_on", "-id")


@router.get(
    "/trips/{trip_id}",
    response=responses(TripDetailOut),
    summary="外出招商详情（成员、会见对象、引来的项目）",
)
def get_trip(request: Request, trip_id: RecordId) -> Trip:
    return selectors.trip_for_page(_reader(request), trip_id)


@router.post("/trips", response=responses(TripDetailOut, status=201), summary="登记外出招商")
def create_trip(request: Request, payload: TripIn) -> Status[Trip]:
    principal = _reader(request)
    unit = _unit(payload.unit_id, "组织单位")
    services.require_unit_writer(principal, unit)  # who may not write is told so before what they sent
    _storable(**{k: getattr(payload, k) for k in ("destination", "purpose", "companies_met", "summary")})
    data = payload.dict(exclude={"unit_id", "leader_id", "member_ids", "contact_ids"})
    with named_as(FIELDS):
        trip = services.trip_create(
            principal,
            unit=unit,
            leader=_leader(principal, payload.leader_id, "带队领导"),
            members=_people(payload.member_ids, "member_ids", "成员"),
            contacts=_contacts(principal, payload.contact_ids, "contact_ids", "会见的联络对象"),
            **data,
        )
    return Status(201, selectors.trip_for_page(principal, trip.pk))


# ---------------------------------------------------------------- visits


@router.get("/visits", response=responses(list[VisitOut]), summary="来访考察（按来访日期倒序）")
@paginate
def list_visits(request: Request, unit_id: RecordId | None = None) -> object:
    rows = _visits(_reader(request))
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return rows.order_by("-on", "-id")


def _visit(principal: Principal, visit_id: int) -> InvestorVisit:
    return _visits(principal).get_visible_or_404(principal, pk=visit_id)  # type: ignore[attr-defined]


@router.get("/visits/{visit_id}", response=responses(VisitDetailOut), summary="来访考察详情")
def get_visit(request: Request, visit_id: RecordId) -> InvestorVisit:
    return _visit(_reader(request), visit_id)


@router.post("/visits", response=responses(VisitDetailOut, status=201), summary="登记来访考察")
def create_visit(request: Request, payload: VisitIn) -> Status[InvestorVisit]:
    principal = _reader(request)
    unit = _unit(payload.unit_id, "接待单位")
    services.require_unit_writer(principal, unit)
    _storable(**{k: getattr(payload, k) for k in ("company", "visitors", "sites", "outcome")})
    contact = None
    if payload.contact_id is not None:
        (contact,) = _contacts(principal, [payload.contact_id], "contact_id", "引荐的联络对象")
    project = None
    if payload.project_id is not None:
        project = Project.objects.visible_to(principal).filter(pk=payload.project_id).first()
        if project is None:
            raise ValidationError({"project_id": "所属项目：不存在或不在您的查看范围内"})
    data = payload.dict(include={"on", "company", "visitors", "sites", "outcome"})
    with named_as(FIELDS):
        visit = services.visit_create(
            principal,
            unit=unit,
            leader=_leader(principal, payload.leader_id, "陪同县领导"),
            hosts=_people(payload.host_ids, "host_ids", "接待人员"),
            contact=contact,
            project=project,
            **data,
        )
    return Status(201, _visit(principal, visit.pk))


# ---------------------------------------------------------------- events


@router.get(
    "/events", response=responses(list[EventOut]), summary="招商活动（推介会、签约仪式、集中开工仪式 …）"
)
@paginate
def list_events(request: Request, unit_id: RecordId | None = None) -> object:
    rows = _events(_reader(request))
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return rows.order_by("-on", "-id")


@router.get(
    "/events/{event_id}",
    response=responses(EventDetailOut),
    summary="招商活动详情（逐项跟踪签约、开工的项目）",
)
def get_event(request: Request, event_id: RecordId) -> Event:
    principal = _reader(request)
    return _events(principal).get_visible_or_404(principal, pk=event_id)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- referrer claims


@router.get("/claims", response=responses(list[ClaimOut]), summary="引资人认定申报（按申报日期倒序）")
@paginate
def list_claims(
    request: Request, project_id: RecordId | None = None, state: ClaimState | None = None
) -> object:
    rows = _claims(_reader(request))
    if project_id is not None:
        rows = rows.filter(project_id=project_id)
    if state:
        rows = rows.filter(status=state)
    return rows.order_by("-claimed_on", "-pk")


@router.get("/claims/{claim_id}", response=responses(ClaimOut), summary="引资人认定申报详情")
def get_claim(request: Request, claim_id: RecordId) -> ReferrerClaim:
    principal = _reader(request)
    return _claims(principal).get_visible_or_404(principal, pk=claim_id)  # type: ignore[attr-defined]
