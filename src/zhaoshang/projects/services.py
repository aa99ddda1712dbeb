"""Audited writes of projects: create, move through the stages, record the review, follow up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require, require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.projects import lifecycle
from zhaoshang.projects.lifecycle import Facts, Stage
from zhaoshang.projects.models import (
    FUND_SOURCES,
    FUND_USES,
    Evidence,
    FollowUp,
    FundArrival,
    Project,
    StageMove,
)

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# What a move may supply, by the field it sets on the project.
SUPPLIED = {
    "contract_amount": "contract_amount",
    "land_area": "land_area_mu",
    "start_date": "start_date",
    "production_date": "production_date",
    "full_output_date": "full_output_date",
    "drop_reason": "drop_reason",
}


def project_create(by: Principal, **fields: Any) -> Project:
    require(by, Action.EDIT_BUSINESS)
    since = fields.pop("stage_since", None) or timezone.localdate()
    project = Project(**fields, stage=Stage.LEAD.value, stage_since=since)
    require_in_scope(by, project.town, Action.EDIT_BUSINESS)  # a town registers its own projects
    return audited_create(project)


def _check_sizes(evidence: list[tuple[str, str, bytes]]) -> None:
    for _kind, name, data in evidence:
        if len(data) > MAX_EVIDENCE_BYTES:
            raise ValidationError({"evidence": f"附件：{name} 超过 20 MB"})


def _evidence_store(
    by: Principal, project: Project, kind: str, name: str, data: bytes, *, move: StageMove | None = None
) -> Evidence:
    # The file's bytes stay out of the audit event; its name, kind and size go in.
    item = Evidence.objects.create(
        project=project,
        move=move,
        kind=kind,
        filename=name[:200],
        content=data,
        size=len(data),
        uploaded_by_id=by.user_id,
    )
    audit.record(AuditEvent.Action.CREATE, item, after={"kind": kind, "filename": name, "size": len(data)})
    return item


def _facts(project: Project, supplied: dict[str, Any], kinds: set[str], note: str) -> Facts:
    current = {
        "contract_amount": project.contract_amount,
        "land_area": project.land_area_mu,
        "start_date": project.start_date,
        "production_date": project.production_date,
        "full_output_date": project.full_output_date,
        "drop_reason": project.drop_reason,
    }
    current.update({k: v for k, v in supplied.items() if v not in (None, "")})
    return Facts(review_decision=project.review_decision, evidence=frozenset(kinds), note=note, **current)


def project_move(
    by: Principal,
    project: Project,
    target: str,
    *,
    on: dt.date,
    opinion: str = "",
    supplied: dict[str, Any] | None = None,
    evidence: list[tuple[str, str, bytes]] | None = None,
) -> StageMove:
    """Move the project if the state machine allows it with what it holds plus what this move brings."""
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    _check_sizes(evidence or [])
    supplied = {k: v for k, v in (supplied or {}).items() if k in SUPPLIED}
    evidence = evidence or []
    kinds = set(project.evidence.values_list("kind", flat=True)) | {kind for kind, _, _ in evidence}
    try:
        source, goal = Stage(project.stage), Stage(target)
    except ValueError as exc:
        raise ValidationError({"target": "阶段：请选择要变更到的阶段"}) from exc
    found = lifecycle.problems(
        source, goal, _facts(project, supplied, kinds, opinion), may_reopen=by.can(Action.CONFIGURE_RULES)
    )
    if found:
        raise ValidationError(found)
    with transaction.atomic():
        move = StageMove.objects.create(
            project=project,
            source=source.value,
            target=goal.value,
            on=on,
            by_id=by.user_id,
            opinion=opinion,
            supplied=audit.json_safe(supplied),
        )
        for kind, name, data in evidence:
            _evidence_store(by, project, kind, name, data, move=move)
        changes: dict[str, Any] = {SUPPLIED[k]: v for k, v in supplied.items() if v not in (None, "")}
        changes |= {"stage": goal.value, "stage_since": on}
        if goal == Stage.SIGNED:
            changes["signed_on"] = on
        if source == Stage.DROPPED:
            changes["drop_reason"] = ""
        if goal == Stage.REVIEW:
            changes["review_decision"] = ""  # every submission is a new review
        audited_update(
            project,
            changes,
            reason=opinion or f"{source.label}→{goal.label}",
            action=AuditEvent.Action.UPDATE,
        )
    return move


def review_record(by: Principal, project: Project, *, decision: str, notes: str) -> Project:
    """The review committee's decision (pass, pass with conditions, reject) on a project in review."""
    require_in_scope(by, project, Action.CONFIGURE_RULES)
    if project.stage != Stage.REVIEW.value:
        raise ValidationError({"decision": "只有处于“预审”阶段的项目可以记录预审结论。"})
    if decision not in ("pass", "conditional", "reject"):
        raise ValidationError({"decision": "预审结论：只能是通过、有条件通过或不通过。"})
    if not notes.strip():
        raise ValidationError({"notes": "预审意见：必须填写（有条件通过的写明条件）。"})
    audited_update(project, {"review_decision": decision}, reason=notes.strip())
    return project


def follow_up_add(
    by: Principal,
    project: Project,
    *,
    on: dt.date,
    what: str,
    next_step: str = "",
    next_date: dt.date | None = None,
) -> FollowUp:
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    if not what.strip():
        raise ValidationError({"what": "跟进情况：必须填写。"})
    if next_date is not None and next_date < on:
        raise ValidationError({"next_date": "下一步日期：不能早于本次跟进日期。"})
    return audited_create(
        FollowUp(
            project=project,
            on=on,
            by_id=by.user_id,
            what=what.strip(),
            next_step=next_step.strip(),
            next_date=next_date,
        )
    )


def fund_arrival_add(
    by: Principal,
    project: Project,
    *,
    on: dt.date,
    amount: Decimal,
    source: str,
    use: str,
    currency: str = "CNY",
    foreign_amount: Decimal | None = None,
    exchange_rate: Decimal | None = None,
    rate_date: dt.date | None = None,
    proof: tuple[str, str, bytes] | None = None,
    note: str = "",
) -> FundArrival:
    """Record money in place for a signed project; the project's running total moves with it."""
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    found: dict[str, str] = {}
    if project.signed_on is None:
        found["on"] = "到位资金：项目签约后才能登记"
    elif on < project.signed_on:
        found["on"] = f"到位日期：不能早于签约日期 {project.signed_on:%Y-%m-%d}"
    if amount is None or amount <= 0:
        found["amount"] = "到位金额：必须大于 0（万元）"
    if source not in dict(FUND_SOURCES):
        found["source"] = "资金来源：只能是省外内资、省内资金或外资"
    if use not in dict(FUND_USES):
        found["use"] = "资金用途：只能是固定资产投资或流动资金"
    currency = (currency or "CNY").strip().upper()
    if source == "foreign":
        if currency == "CNY":
            found["currency"] = "币种：外资须填写外币币种（如 USD）"
        if foreign_amount is None or foreign_amount <= 0:
            found["foreign_amount"] = "外币金额：外资须填写大于 0 的外币金额（万）"
        if exchange_rate is None or exchange_rate <= 0:
            found["exchange_rate"] = "汇率：外资须填写大于 0 的汇率（1 外币折合人民币元）"
        if rate_date is None:
            found["rate_date"] = "汇率日期：外资须填写所用汇率的日期"
    if proof is None:
        found["proof"] = "证明材料：须上传银行进账单或发票"
    elif proof[0] not in ("bank_record", "invoice"):
        found["proof"] = "证明材料：只能是银行进账单或发票"
    if found:
        raise ValidationError(found)
    assert proof is not None
    _check_sizes([proof])
    with transaction.atomic():
        project.refresh_from_db(
            fields=["funds_in_place"]
        )  # the total is a running sum: read it under the lock
        document = _evidence_store(by, project, *proof)
        arrival = audited_create(
            FundArrival(
                project=project,
                on=on,
                amount=amount,
                source=source,
                currency=currency if source == "foreign" else "CNY",
                foreign_amount=foreign_amount if source == "foreign" else None,
                exchange_rate=exchange_rate if source == "foreign" else None,
                rate_date=rate_date if source == "foreign" else None,
                use=use,
                proof=document,
                note=note.strip(),
                by_id=by.user_id,
            )
        )
        audited_update(
            project,
            {"funds_in_place": (project.funds_in_place or Decimal(0)) + amount},
            reason=f"到位资金 {amount} 万元（{on:%Y-%m-%d}）",
        )
    return arrival
