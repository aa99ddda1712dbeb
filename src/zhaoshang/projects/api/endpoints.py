"""Project endpoints: the list, the record, its moves, follow-ups and funds in place, scoped like the pages.

Money is given and returned as Decimal strings in 万元 (land in 亩), so no amount goes through a float.
Refusals are answered by the API's handlers (`zhaoshang.core.api.errors`) and documented with
`responses(...)`: a view raises and never catches, except to rename a service's field to the API's.
"""

from __future__ import annotations

from ninja import Router, Status
from ninja.pagination import paginate

from zhaoshang.core.api.responses import responses
from zhaoshang.core.http import Request
from zhaoshang.projects import selectors, services
from zhaoshang.projects.api.refusals import check_storable, evidence_of, named_as, units_for
from zhaoshang.projects.api.schemas import (
    TEXTS,
    FollowUpIn,
    FollowUpOut,
    FundIn,
    FundOut,
    MoveIn,
    MoveOut,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
)
from zhaoshang.projects.engines import lifecycle
from zhaoshang.projects.models import FollowUp, FundArrival, Project, StageMove

router = Router(tags=["projects"])

# The services name the model's fields; the API names its own where they differ.
PROJECT_FIELDS = {
    "town": "town_id",
    "park": "park_id",
    "lead_unit": "lead_unit_id",
    "responsible_leader": "responsible_leader_id",
}
MOVE_FIELDS = {"land_area_mu": "land_area"}
# The state machine's reasons name what is missing; those the body can supply go under its field
# (the review's decision cannot be sent here, so it stays a refusal of the move as a whole).
MOVE_RULES = {
    r.rule: {"note": "opinion"}.get(r.field, r.field)
    for move in lifecycle.MOVES.values()
    for r in move.requires
    if r.field in MoveIn.model_fields or r.field == "note"
}
FUND_FIELDS = {"evidence": "proof", "funds_in_place": "amount"}


# ---------------------------------------------------------------- projects


@router.get("/", response=responses(list[ProjectOut]), summary="招商项目列表（按权限范围）")
@paginate
def list_projects(
    request: Request, q: str = "", stage: str = "", channel: str = "", town: int | None = None
) -> object:
    filters = {"q": q, "stage": stage, "channel": channel, "town": town}
    return selectors.projects(request.principal, filters)


@router.get("/{project_id}", response=responses(ProjectOut), summary="招商项目详情")
def get_project(request: Request, project_id: int) -> Project:
    return selectors.project_for_page(request.principal, project_id)


@router.post("/", response=responses(ProjectOut, status=201), summary="登记项目线索")
def create_project(request: Request, payload: ProjectIn) -> Status[Project]:
    principal = request.principal
    check_storable(payload)
    data = payload.dict(exclude={"town_id", "park_id", "lead_unit_id", "responsible_leader_id"})
    data |= units_for(payload, principal)
    with named_as(PROJECT_FIELDS):
        project = services.project_create(principal, **data)
    return Status(201, selectors.project_for_page(principal, project.pk))


@router.patch("/{project_id}", response=responses(ProjectOut, stale=True), summary="修改项目信息")
def update_project(request: Request, project_id: int, payload: ProjectPatch) -> Project:
    """Only the fields given change; `version` is the one read (409 when someone saved since)."""
    principal = request.principal
    project = selectors.project_for_page(principal, project_id)
    check_storable(payload)
    ids = {f"{name}_id" for name in PROJECT_FIELDS}
    given = payload.dict(exclude_unset=True, exclude={"version", *ids})
    data = {k: v for k, v in given.items() if v is not None or k not in TEXTS}
    data |= units_for(payload, principal)
    with named_as(PROJECT_FIELDS):
        services.project_update(
            principal, Project.objects.get(pk=project.pk), version=payload.version, **data
        )
    return selectors.project_for_page(principal, project.pk)


# ---------------------------------------------------------------- moves


@router.get("/{project_id}/moves", response=responses(list[MoveOut]), summary="项目阶段变更记录")
def list_moves(request: Request, project_id: int) -> list[StageMove]:
    project = selectors.project_for_page(request.principal, project_id)
    return list(project.moves.select_related("by").prefetch_related("evidence"))


@router.post(
    "/{project_id}/moves", response=responses(MoveOut, status=201), summary="变更项目阶段（附证明材料）"
)
def create_move(request: Request, project_id: int, payload: MoveIn) -> Status[StageMove]:
    principal = request.principal
    project = selectors.project_for_page(principal, project_id)
    check_storable(payload)
    supplied = payload.dict(
        include={
            "contract_amount",
            "land_area",
            "start_date",
            "production_date",
            "full_output_date",
            "drop_reason",
        }
    )
    with named_as(MOVE_FIELDS, MOVE_RULES):
        move = services.project_move(
            principal,
            project,
            payload.target,
            on=payload.on,
            opinion=payload.opinion.strip(),
            supplied=supplied,
            evidence=evidence_of(payload.evidence, "evidence"),
        )
    return Status(201, StageMove.objects.select_related("by").prefetch_related("evidence").get(pk=move.pk))


# ---------------------------------------------------------------- follow-ups


@router.get("/{project_id}/follow-ups", response=responses(list[FollowUpOut]), summary="项目跟进记录")
def list_follow_ups(request: Request, project_id: int) -> list[FollowUp]:
    project = selectors.project_for_page(request.principal, project_id)
    return list(project.follow_ups.select_related("by"))


@router.post("/{project_id}/follow-ups", response=responses(FollowUpOut, status=201), summary="登记跟进情况")
def create_follow_up(request: Request, project_id: int, payload: FollowUpIn) -> Status[FollowUp]:
    principal = request.principal
    project = selectors.project_for_page(principal, project_id)
    check_storable(payload)
    follow_up = services.follow_up_add(
        principal,
        project,
        on=payload.on,
        what=payload.what,
        next_step=payload.next_step,
        next_date=payload.next_date,
    )
    return Status(201, FollowUp.objects.select_related("by").get(pk=follow_up.pk))


# ---------------------------------------------------------------- funds in place


@router.get("/{project_id}/funds", response=responses(list[FundOut]), summary="项目实际到位资金")
def list_funds(request: Request, project_id: int) -> list[FundArrival]:
    project = selectors.project_for_page(request.principal, project_id)
    return list(project.fund_arrivals.select_related("proof", "project"))


@router.post(
    "/{project_id}/funds",
    response=responses(FundOut, status=201),
    summary="登记实际到位资金（附银行进账单或发票）",
)
def create_fund(request: Request, project_id: int, payload: FundIn) -> Status[FundArrival]:
    principal = request.principal
    project = selectors.project_for_page(principal, project_id)
    check_storable(payload)
    proof = None
    if payload.proof is not None:
        (proof,) = evidence_of([payload.proof], "proof")
    with named_as(FUND_FIELDS):
        arrival = services.fund_arrival_add(
            principal,
            project,
            on=payload.on,
            amount=payload.amount,
            source=payload.source,
            use=payload.use,
            currency=payload.currency,
            foreign_amount=payload.foreign_amount,
            exchange_rate=payload.exchange_rate,
            rate_date=payload.rate_date,
            proof=proof,
            note=payload.note,
            confirm_reason=payload.confirm_reason,
        )
    return Status(201, FundArrival.objects.select_related("proof", "project").get(pk=arrival.pk))
