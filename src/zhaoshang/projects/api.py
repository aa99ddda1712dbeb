"""Project endpoints: the list, the record, its moves, follow-ups and funds in place, scoped like the pages.

Money is given and returned as Decimal strings in 万元 (land in 亩), so no amount goes through a float.
A refusal from the services answers 422 with one Chinese message per field, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from zhaoshang.core.roles import Role
from zhaoshang.core.scoping import Principal
from zhaoshang.core.validators import storable_text_problem
from zhaoshang.org.models import Unit, User
from zhaoshang.projects import selectors, services
from zhaoshang.projects.engines.lifecycle import EVIDENCE_LABELS, STAGE_LABELS, Stage
from zhaoshang.projects.models import CHANNELS, RANKS, FollowUp, FundArrival, Project, StageMove

router = Router(tags=["projects"])

# How a text field is named in a message: the form's label.
LABELS = {
    "name": "项目名称",
    "investor_name": "投资方",
    "investor_origin": "投资方来源地",
    "referrer": "引荐人或单位",
    "industry_code": "行业代码",
    "opinion": "意见",
    "what": "跟进情况",
    "next_step": "下一步",
    "note": "备注",
    "filename": "文件名",
    "content_base64": "附件内容",
}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _principal(request: HttpRequest) -> Principal:
    return request.principal  # type: ignore[attr-defined,no-any-return]


# ---------------------------------------------------------------- schemas


class ProblemOut(Schema):
    field: str
    message: str


class RefusedOut(Schema):
    detail: str
    errors: list[ProblemOut]


class ProjectOut(Schema):
    id: int
    name: str
    investor_name: str
    investor_origin: str
    investor_rank: str
    channel: str
    referrer: str
    industry_code: str
    planned_investment: str | None
    contract_amount: str | None
    land_needed_mu: str | None
    land_area_mu: str | None
    promised_output: str | None
    promised_tax: str | None
    registered_capital: str | None
    funds_in_place: str
    promised_start: dt.date | None
    promised_production: dt.date | None
    town_id: int
    town: str = Field(..., alias="town.name")
    park_id: int | None
    lead_unit_id: int
    lead_unit: str = Field(..., alias="lead_unit.name")
    responsible_leader_id: int | None
    responsible_leader: str | None
    stage: str
    stage_label: str
    stage_since: dt.date
    review_decision: str
    signed_on: dt.date | None
    start_date: dt.date | None
    production_date: dt.date | None
    full_output_date: dt.date | None
    drop_reason: str
    last_follow_up: dt.date | None = None
    next_date: dt.date | None = None

    @staticmethod
    def resolve_responsible_leader(obj: Project) -> str | None:
        return str(obj.responsible_leader) if obj.responsible_leader_id else None

    @staticmethod
    def resolve_stage_label(obj: Project) -> str:
        return STAGE_LABELS[Stage(obj.stage)]

    @staticmethod
    def resolve_funds_in_place(obj: Project) -> str:
        return str(obj.funds_in_place)

    # Resolvers per money field: pydantic would otherwise refuse a Decimal for a str field.
    @staticmethod
    def resolve_planned_investment(obj: Project) -> str | None:
        return _text(obj.planned_investment)

    @staticmethod
    def resolve_contract_amount(obj: Project) -> str | None:
        return _text(obj.contract_amount)

    @staticmethod
    def resolve_land_needed_mu(obj: Project) -> str | None:
        return _text(obj.land_needed_mu)

    @staticmethod
    def resolve_land_area_mu(obj: Project) -> str | None:
        return _text(obj.land_area_mu)

    @staticmethod
    def resolve_promised_output(obj: Project) -> str | None:
        return _text(obj.promised_output)

    @staticmethod
    def resolve_promised_tax(obj: Project) -> str | None:
        return _text(obj.promised_tax)

    @staticmethod
    def resolve_registered_capital(obj: Project) -> str | None:
        return _text(obj.registered_capital)


class ProjectIn(Schema):
    name: str
    investor_name: str
    investor_origin: str = ""
    investor_rank: str = ""
    channel: str
    referrer: str = ""
    industry_code: str = ""
    planned_investment: Decimal | None = None
    contract_amount: Decimal | None = None
    land_needed_mu: Decimal | None = None
    promised_output: Decimal | None = None
    promised_tax: Decimal | None = None
    registered_capital: Decimal | None = None
    promised_start: dt.date | None = None
    promised_production: dt.date | None = None
    town_id: int
    park_id: int | None = None
    lead_unit_id: int
    responsible_leader_id: int | None = None


class EvidenceIn(Schema):
    kind: str
    filename: str
    content_base64: str


class EvidenceOut(Schema):
    id: int
    kind: str
    filename: str
    size: int


class MoveIn(Schema):
    target: str
    on: dt.date
    opinion: str = ""
    contract_amount: Decimal | None = None
    land_area: Decimal | None = None
    start_date: dt.date | None = None
    production_date: dt.date | None = None
    full_output_date: dt.date | None = None
    drop_reason: str = ""
    evidence: list[EvidenceIn] = []


class MoveOut(Schema):
    id: int
    source: str
    target: str
    on: dt.date
    by: str | None
    opinion: str
    supplied: dict[str, Any]
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_by(obj: StageMove) -> str | None:
        return str(obj.by) if obj.by_id else None

    @staticmethod
    def resolve_evidence(obj: StageMove) -> list[Any]:
        return list(obj.evidence.all())


class FollowUpIn(Schema):
    on: dt.date
    what: str
    next_step: str = ""
    next_date: dt.date | None = None


class FollowUpOut(Schema):
    id: int
    on: dt.date
    by: str | None
    what: str
    next_step: str
    next_date: dt.date | None

    @staticmethod
    def resolve_by(obj: FollowUp) -> str | None:
        return str(obj.by) if obj.by_id else None


class FundIn(Schema):
    on: dt.date
    amount: Decimal
    source: str
    use: str
    currency: str = "CNY"
    foreign_amount: Decimal | None = None
    exchange_rate: Decimal | None = None
    rate_date: dt.date | None = None
    proof: EvidenceIn | None = None
    note: str = ""


class FundOut(Schema):
    id: int
    on: dt.date
    amount: str
    source: str
    use: str
    currency: str
    foreign_amount: str | None
    exchange_rate: str | None
    rate_date: dt.date | None
    proof: EvidenceOut | None
    note: str
    funds_in_place: str

    @staticmethod
    def resolve_amount(obj: FundArrival) -> str:
        return str(obj.amount)

    @staticmethod
    def resolve_foreign_amount(obj: FundArrival) -> str | None:
        return _text(obj.foreign_amount)

    @staticmethod
    def resolve_exchange_rate(obj: FundArrival) -> str | None:
        return _text(obj.exchange_rate)

    @staticmethod
    def resolve_funds_in_place(obj: FundArrival) -> str:
        return str(obj.project.funds_in_place)  # the running total after this arrival


# ---------------------------------------------------------------- refusals


def _refused(exc: ValidationError) -> Status[dict[str, Any]]:
    """The services' ValidationError as the same field-by-field answer the schema errors get."""
    if hasattr(exc, "error_dict"):
        problems = [
            {"field": "" if name == NON_FIELD_ERRORS else name, "message": message}
            for name, errors in exc.error_dict.items()
            for message in ValidationError(errors).messages
        ]
    else:
        problems = [{"field": "", "message": message} for message in exc.messages]
    detail = "；".join(p["message"] for p in problems)
    return Status(422, {"detail": detail, "errors": problems})


def _storable(payload: Schema) -> None:
    """Text the database cannot keep (NUL, lone surrogates) is refused here, not by a 500 from the driver."""

    def walk(value: Any, name: str) -> dict[str, str]:
        if isinstance(value, str) and (problem := storable_text_problem(value)):
            return {name: f"{LABELS.get(name, name)}：{problem}"}
        if isinstance(value, dict):
            return {k: m for key, item in value.items() for k, m in walk(item, key).items()}
        if isinstance(value, list):
            return {k: m for item in value for k, m in walk(item, name).items()}
        return {}

    if problems := walk(payload.dict(), ""):
        raise ValidationError(problems)


def _forbidden(exc: PermissionDenied) -> HttpError:
    return HttpError(403, str(exc) or "您的角色无权修改此项目。")


def _evidence(items: list[EvidenceIn], field: str) -> list[tuple[str, str, bytes]]:
    found: list[tuple[str, str, bytes]] = []
    problems: dict[str, str] = {}
    for item in items:
        name = item.filename.strip() or "附件"
        if item.kind not in EVIDENCE_LABELS:
            allowed = "、".join(f"{k}（{v}）" for k, v in EVIDENCE_LABELS.items())
            problems[field] = f"附件类型：“{item.kind}”不可用，只能是 {allowed}"
            continue
        try:
            data = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            problems[field] = f"附件：{name} 的内容不是有效的 base64 编码"
            continue
        if not data:
            problems[field] = f"附件：{name} 是空文件"
            continue
        found.append((item.kind, name, data))
    if problems:
        raise ValidationError(problems)
    return found


def _units_for(payload: ProjectIn) -> dict[str, Any]:
    """The payload's ids as records; a wrong id is named like any other bad field."""
    problems: dict[str, str] = {}
    town = Unit.objects.filter(pk=payload.town_id, kind__code="town").first()
    if town is None:
        problems["town_id"] = "乡镇：没有这个乡镇"
    park = None
    if payload.park_id is not None:
        park = Unit.objects.filter(pk=payload.park_id, kind__code="park").first()
        if park is None:
            problems["park_id"] = "园区：没有这个园区"
    lead_unit = Unit.objects.filter(pk=payload.lead_unit_id).first()
    if lead_unit is None:
        problems["lead_unit_id"] = "牵头单位：没有这个单位"
    leader = None
    if payload.responsible_leader_id is not None:
        leader = (
            User.objects.filter(pk=payload.responsible_leader_id, memberships__role=Role.LEADER)
            .distinct()
            .first()
        )
        if leader is None:
            problems["responsible_leader_id"] = "包抓领导：只能选择县级领导"
    if payload.channel not in dict(CHANNELS):
        problems["channel"] = "招商方式：只能是" + "、".join(label for _v, label in CHANNELS)
    if payload.investor_rank not in dict(RANKS):
        problems["investor_rank"] = "500强：只能是" + "、".join(label for v, label in RANKS if v)
    if problems:
        raise ValidationError(problems)
    return {"town": town, "park": park, "lead_unit": lead_unit, "responsible_leader": leader}


# ---------------------------------------------------------------- projects


@router.get("/", response=list[ProjectOut], summary="招商项目列表（按权限范围）")
@paginate
def list_projects(
    request: HttpRequest, q: str = "", stage: str = "", channel: str = "", town: int | None = None
) -> object:
    filters = {"q": q, "stage": stage, "channel": channel, "town": town}
    return selectors.projects(_principal(request), filters)


@router.get("/{project_id}", response=ProjectOut, summary="招商项目详情")
def get_project(request: HttpRequest, project_id: int) -> Project:
    return selectors.project_for_page(_principal(request), project_id)


@router.post("/", response={201: ProjectOut, 422: RefusedOut}, summary="登记项目线索")
def create_project(request: HttpRequest, payload: ProjectIn) -> Any:
    principal = _principal(request)
    data = payload.dict(exclude={"town_id", "park_id", "lead_unit_id", "responsible_leader_id"})
    try:
        _storable(payload)
        data |= _units_for(payload)
        project = services.project_create(principal, **data)
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, selectors.project_for_page(principal, project.pk))


# ---------------------------------------------------------------- moves


@router.get("/{project_id}/moves", response=list[MoveOut], summary="项目阶段变更记录")
def list_moves(request: HttpRequest, project_id: int) -> list[StageMove]:
    project = selectors.project_for_page(_principal(request), project_id)
    return list(project.moves.select_related("by").prefetch_related("evidence"))


@router.post(
    "/{project_id}/moves", response={201: MoveOut, 422: RefusedOut}, summary="变更项目阶段（附证明材料）"
)
def create_move(request: HttpRequest, project_id: int, payload: MoveIn) -> Any:
    principal = _principal(request)
    project = selectors.project_for_page(principal, project_id)
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
    try:
        _storable(payload)
        evidence = _evidence(payload.evidence, "evidence")
        move = services.project_move(
            principal,
            project,
            payload.target,
            on=payload.on,
            opinion=payload.opinion.strip(),
            supplied=supplied,
            evidence=evidence,
        )
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, StageMove.objects.select_related("by").prefetch_related("evidence").get(pk=move.pk))


# ---------------------------------------------------------------- follow-ups


@router.get("/{project_id}/follow-ups", response=list[FollowUpOut], summary="项目跟进记录")
def list_follow_ups(request: HttpRequest, project_id: int) -> list[FollowUp]:
    project = selectors.project_for_page(_principal(request), project_id)
    return list(project.follow_ups.select_related("by"))


@router.post("/{project_id}/follow-ups", response={201: FollowUpOut, 422: RefusedOut}, summary="登记跟进情况")
def create_follow_up(request: HttpRequest, project_id: int, payload: FollowUpIn) -> Any:
    principal = _principal(request)
    project = selectors.project_for_page(principal, project_id)
    try:
        _storable(payload)
        follow_up = services.follow_up_add(
            principal,
            project,
            on=payload.on,
            what=payload.what,
            next_step=payload.next_step,
            next_date=payload.next_date,
        )
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, FollowUp.objects.select_related("by").get(pk=follow_up.pk))


# ---------------------------------------------------------------- funds in place


@router.get("/{project_id}/funds", response=list[FundOut], summary="项目实际到位资金")
def list_funds(request: HttpRequest, project_id: int) -> list[FundArrival]:
    project = selectors.project_for_page(_principal(request), project_id)
    return list(project.fund_arrivals.select_related("proof", "project"))


@router.post(
    "/{project_id}/funds",
    response={201: FundOut, 422: RefusedOut},
    summary="登记实际到位资金（附银行进账单或发票）",
)
def create_fund(request: HttpRequest, project_id: int, payload: FundIn) -> Any:
    principal = _principal(request)
    project = selectors.project_for_page(principal, project_id)
    try:
        _storable(payload)
        proof = None
        if payload.proof is not None:
            (proof,) = _evidence([payload.proof], "proof")
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
        )
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, FundArrival.objects.select_related("proof", "project").get(pk=arrival.pk))
