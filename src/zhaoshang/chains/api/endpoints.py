"""产业链链长制 endpoints: the chains, their nodes, target companies and the chief's monthly reports.

Everything is read as the pages read it: the chains of the reader's county (`selectors.*_for_page`
answer 404 outside it), the records each person sees (`visible_to`). Writes go through the services,
which let only the chain's runners in (the county's coordinators and the chain's lead unit) and
audit what they change. Amounts (万元) are Decimal strings; refusals are answered by the API's
handlers (`zhaoshang.core.api.errors`): a view raises and never catches.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from ninja import Path, Router
from ninja.pagination import paginate

from zhaoshang.chains import selectors, services
from zhaoshang.chains.api.schemas import (
    ENTERPRISES_LISTED,
    NODE_LABELS,
    SEGMENT_LABELS,
    ChainDetailOut,
    ChainListOut,
    NodeDetailOut,
    ReportIn,
    ReportOut,
    TargetMoveIn,
    TargetOut,
)
from zhaoshang.chains.models import SEGMENTS, Chain, Commitment, Report, TargetCompany
from zhaoshang.core.api.responses import responses
from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.validators import storable_text_problem
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects.models import Project

router = Router(tags=["chains"])

MONTH = re.compile(r"\d{4}-\d{2}")
# How a text sent is named in a refusal: the form's label.
LABELS = {**services.REPORT_TEXTS, "status": "变更到", "reason": "原因"}
# Targets listed by their node's place on the chain: upstream, midstream, downstream.
BY_SEGMENT = Case(
    *(When(node__segment=code, then=Value(i)) for i, (code, _label) in enumerate(SEGMENTS)),
    output_field=IntegerField(),
)


# ---------------------------------------------------------------- helpers


def _reader(request: Request) -> Principal:
    """The chains are for the roles that follow the pipeline; others are refused (403)."""
    principal = request.principal
    if not principal.can(Action.VIEW_PIPELINE):
        raise PermissionDenied("您的角色无权查看产业链。")
    return principal


def _storable(**texts: str) -> None:
    """Text the database cannot keep (NUL, lone surrogates) is refused here, not by a 500 from the driver."""
    problems = {k: f"{LABELS[k]}：{p}" for k, v in texts.items() if (p := storable_text_problem(v))}
    if problems:
        raise ValidationError(problems)


def _month(value: str) -> dt.date:
    try:
        if not MONTH.fullmatch(value):
            raise ValueError(value)
        return dt.date(int(value[:4]), int(value[5:]), 1)
    except ValueError:
        raise ValidationError({"month": "月份：应为 YYYY-MM，例如 2026-01"}) from None


def _targets(principal: Principal) -> QuerySet[TargetCompany]:
    rows: QuerySet[TargetCompany] = TargetCompany.objects.visible_to(principal)
    return rows.select_related("node", "team", "leader", "project")


def _reports(principal: Principal, chain: Chain) -> QuerySet[Report]:
    commitments = Commitment.objects.select_related("project").order_by("kind", "project__name", "pk")
    rows: QuerySet[Report] = Report.objects.visible_to(principal)
    return (
        rows.filter(chain=chain)
        .select_related("filed_by")
        .prefetch_related(Prefetch("commitments", queryset=commitments))
        .order_by("-month")
    )


# ---------------------------------------------------------------- chains and nodes


@router.get("/", response=responses(list[ChainListOut]), summary="产业链列表（本县）")
@paginate
def list_chains(request: Request) -> object:
    rows = selectors.chains(_reader(request)).prefetch_related("deputy_chiefs", "member_units")
    return rows.order_by("county__path", "sort_order", "pk")


@router.get("/{chain_id}", response=responses(ChainDetailOut), summary="产业链详情（含环节及其企业、产值）")
def get_chain(request: Request, chain_id: int) -> Chain:
    return selectors.chain_for_page(_reader(request), chain_id)


@router.get("/nodes/{node_id}", response=responses(NodeDetailOut), summary="产业链环节（含本环节企业和项目）")
def get_node(request: Request, node_id: int) -> dict[str, Any]:
    principal = _reader(request)
    node = selectors.node_for_page(principal, node_id)
    placed = Enterprise.objects.visible_to(principal).filter(chain_nodes__node=node)
    projects = Project.objects.visible_to(principal).filter(chain_nodes__node=node)
    return {
        "id": node.pk,
        "chain_id": node.chain_id,
        "chain": node.chain.name,
        "parent_id": node.parent_id,
        "segment": node.segment,
        "segment_label": SEGMENT_LABELS[node.segment],
        "name": node.name,
        "industry_codes": node.industry_codes,
        "keywords": node.keywords,
        "status": node.status,
        "status_label": NODE_LABELS[node.status],
        "status_reason": node.status_reason,
        "enterprise_count": placed.count(),
        "enterprises": list(placed.order_by("name", "pk").values("id", "name")[:ENTERPRISES_LISTED]),
        "projects": list(projects.order_by("name", "pk").values("id", "name")),
    }


# ---------------------------------------------------------------- target companies


@router.get("/{chain_id}/targets", response=responses(list[TargetOut]), summary="目标企业（招商清单）")
@paginate
def list_targets(request: Request, chain_id: int, status: str = "", node: int | None = None) -> object:
    principal = _reader(request)
    chain = selectors.chain_for_page(principal, chain_id)
    if status and status not in services.TARGET_LABELS:
        allowed = "、".join(f"{k}（{v}）" for k, v in services.TARGET_LABELS.items())
        raise ValidationError({"status": f"对接状态：只能是 {allowed}"})
    rows = _targets(principal).filter(chain=chain)
    rows = rows.filter(status=status) if status else rows
    rows = rows.filter(node_id=node) if node is not None else rows
    return rows.order_by(BY_SEGMENT, "node__sort_order", "node_id", "name", "pk")


@router.post("/targets/{target_id}/moves", response=responses(TargetOut), summary="变更目标企业的对接状态")
def move_target(request: Request, target_id: int, payload: TargetMoveIn) -> TargetCompany:
    principal = _reader(request)
    target = selectors.target_for_page(principal, target_id)
    _storable(status=payload.status, reason=payload.reason)
    services.target_move(principal, target, payload.status, on=payload.on, reason=payload.reason)
    return _targets(principal).get(pk=target.pk)


# ---------------------------------------------------------------- monthly reports


@router.get("/{chain_id}/reports", response=responses(list[ReportOut]), summary="链长月报（按月份倒序）")
@paginate
def list_reports(request: Request, chain_id: int) -> object:
    principal = _reader(request)
    return _reports(principal, selectors.chain_for_page(principal, chain_id))


@router.put("/{chain_id}/reports/{month}", response=responses(ReportOut), summary="填报或修改本月月报")
def put_report(
    request: Request,
    chain_id: int,
    payload: ReportIn,
    month: str = Path(..., description="月份，YYYY-MM，例如 2026-01"),
) -> Report:
    """Until the month's 推进会 locks it the report may be revised; the figures are the data's, not sent."""
    principal = _reader(request)
    chain = selectors.chain_for_page(principal, chain_id)
    services.require_writer(principal, chain)  # who may not write is told so before what they sent
    first = _month(month)
    texts = {k: getattr(payload, k) for k in services.REPORT_TEXTS}
    _storable(**texts)
    # The projects named: those the person sees or on the chain; the service refuses any not on it.
    wanted = set(payload.sign) | set(payload.land)
    on_chain = Q(chain_nodes__node__chain=chain)
    known = Project.objects.filter(Q(pk__in=Project.objects.visible_to(principal).values("pk")) | on_chain)
    found = {p.pk: p for p in known.filter(pk__in=wanted).distinct()}
    missing = {
        field: f"承诺项目：编号 {', '.join(str(i) for i in ids if i not in found)} 的项目不存在或不在您的权限范围内"
        for field, ids in (("sign", payload.sign), ("land", payload.land))
        if any(i not in found for i in ids)
    }
    if missing:
        raise ValidationError(missing)
    commitments = [(found[i], "sign") for i in payload.sign] + [(found[i], "land") for i in payload.land]
    report = services.report_file(principal, chain, first, commitments=commitments, **texts)
    return _reports(principal, chain).get(pk=report.pk)
