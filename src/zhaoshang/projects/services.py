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
from zhaoshang.projects import rulebooks
from zhaoshang.projects.engines import lifecycle, prereview, promises
from zhaoshang.projects.engines.lifecycle import Facts, Stage
from zhaoshang.projects.models import (
    FUND_SOURCES,
    FUND_USES,
    Evidence,
    FollowUp,
    FundArrival,
    Milestone,
    Project,
    Review,
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


RELATIONS = ("member_units", "task_force")


def project_create(by: Principal, **fields: Any) -> Project:
    require(by, Action.EDIT_BUSINESS)
    since = fields.pop("stage_since", None) or timezone.localdate()
    related = {name: fields.pop(name) for name in RELATIONS if name in fields}
    project = Project(**fields, stage=Stage.LEAD.value, stage_since=since)
    require_in_scope(by, project.town, Action.EDIT_BUSINESS)  # a town registers its own projects
    with transaction.atomic():
        audited_create(project)
        _set_relations(project, related)
    return project


def _set_relations(project: Project, related: dict[str, Any]) -> None:
    for name, items in related.items():
        manager = getattr(project, name)
        before = sorted(str(x) for x in manager.all())
        manager.set(items)
        after = sorted(str(x) for x in items)
        if before != after:
            audit.record(AuditEvent.Action.UPDATE, project, before={name: before}, after={name: after})


# Stage, its dates and the amounts moves supply change only through `project_move`.
EDITABLE = frozenset(
    {
        "name",
        "investor_name",
        "investor_origin",
        "investor_rank",
        "investor_untrustworthy",
        "channel",
        "referrer",
        "industry_code",
        "description",
        "planned_investment",
        "land_needed_mu",
        "promised_output",
        "promised_tax",
        "registered_capital",
        "promised_start",
        "promised_production",
        "moved_in_on",
        "floor_area_ratio",
        "energy_tce",
        "town",
        "park",
        "lead_unit",
        "responsible_leader",
        "enterprise",
    }
)


def project_update(by: Principal, project: Project, **fields: Any) -> Project:
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    related = {name: fields.pop(name) for name in RELATIONS if name in fields}
    if stray := set(fields) - EDITABLE:
        raise ValidationError(
            {"__all__": f"不能在此修改：{'、'.join(sorted(stray))}（阶段和签约数据通过阶段变更修改）"}
        )
    if "town" in fields:
        require_in_scope(by, fields["town"], Action.EDIT_BUSINESS)
    with transaction.atomic():
        audited_update(project, fields, reason="修改项目信息")
        _set_relations(project, related)
    return project


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
            changes["promise"] = promises.promise_at_signing(
                changes.get("contract_amount", project.contract_amount),
                project.land_needed_mu,
                project.promised_tax,
                project.promised_output,
                project.promised_start,
                project.promised_production,
            ).as_json()
        if source == Stage.DROPPED:
            changes["drop_reason"] = ""
        if goal == Stage.REVIEW:
            changes["review_decision"] = ""  # every submission is a new review
            _review_submit(by, project, on)
        audited_update(
            project,
            changes,
            reason=opinion or f"{source.label}→{goal.label}",
            action=AuditEvent.Action.UPDATE,
        )
    return move


def review_rules_for(project: Project) -> dict[str, Any]:
    """The park's own review rules, else the county's, else the shipped defaults."""
    return rulebooks.resolve(rulebooks.project_unit(project), "review").content


def _review_facts(project: Project) -> prereview.Project:
    return prereview.Project(
        name=project.name,
        description=project.description,
        industry_code=project.industry_code,
        land_mu=project.land_needed_mu,
        investment=project.planned_investment,
        promised_tax=project.promised_tax,
        promised_output=project.promised_output,
        floor_area_ratio=project.floor_area_ratio,
        energy_tce=project.energy_tce,
        investor_rank=project.investor_rank,
        untrustworthy_investor=project.investor_untrustworthy,
    )


def _review_submit(by: Principal, project: Project, on: dt.date) -> Review:
    """Submitting for review runs the rules at once, so the committee meets with the verdicts in hand."""
    content = review_rules_for(project)
    outcome = prereview.run(prereview.parse(content), _review_facts(project))
    return audited_create(
        Review(
            project=project,
            submitted_on=on,
            submitted_by_id=by.user_id,
            rules=content,
            verdicts=[v.as_json() for v in outcome.verdicts],
            score_lines=[line.as_json() for line in outcome.score_lines],
            score=outcome.score,
            rules_passed=outcome.rules_passed,
            vetoed=outcome.vetoed,
            suggestion=outcome.suggestion,
        ),
        reason="提交预审",
    )


VOTES = {"pass": "同意", "conditional": "有条件同意", "reject": "不同意"}
MIN_VOTES = 3


def review_record(
    by: Principal,
    project: Project,
    *,
    decision: str,
    notes: str,
    conditions: str = "",
    votes: list[dict[str, str]] | None = None,
    on: dt.date | None = None,
) -> Review:
    """The review committee's decision (pass, pass with conditions, reject) with its members' votes."""
    require_in_scope(by, project, Action.CONFIGURE_RULES)
    if project.stage != Stage.REVIEW.value:
        raise ValidationError({"decision": "只有处于“预审”阶段的项目可以记录预审结论。"})
    review = project.reviews.order_by("-pk").first()
    if review is None or review.decision:
        raise ValidationError({"decision": "本次预审已有结论：重新预审须退回洽谈后再次提交。"})
    votes = [v for v in votes or [] if (v.get("member") or "").strip()]
    found: dict[str, str] = {}
    if decision not in ("pass", "conditional", "reject"):
        found["decision"] = "预审结论：只能是通过、有条件通过或不通过。"
    elif review.vetoed and decision != "reject":
        vetoes = "；".join(v["reason"] for v in review.verdicts if v.get("veto"))
        found["decision"] = f"预审结论：触发一票否决（{vetoes}），只能是不通过。"
    if not notes.strip():
        found["notes"] = "预审意见：必须填写。"
    if decision == "conditional" and not conditions.strip():
        found["conditions"] = "通过条件：有条件通过须写明条件。"
    if len(votes) < MIN_VOTES:
        found["votes"] = f"委员表决：至少 {MIN_VOTES} 名预审小组成员表决，现为 {len(votes)} 名。"
    elif bad := [v["member"] for v in votes if v.get("vote") not in VOTES]:
        found["votes"] = f"委员表决：{'、'.join(bad)} 的表决须为同意、有条件同意或不同意。"
    elif decision in ("pass", "conditional") and 2 * sum(v["vote"] != "reject" for v in votes) <= len(votes):
        found["votes"] = "委员表决：同意（含有条件同意）未过半数，不能作出通过的结论。"
    if found:
        raise ValidationError(found)
    with transaction.atomic():
        audited_update(
            review,
            {
                "decision": decision,
                "conditions": conditions.strip(),
                "notes": notes.strip(),
                "votes": [
                    {"member": v["member"].strip(), "vote": v["vote"], "note": (v.get("note") or "").strip()}
                    for v in votes
                ],
                "decided_on": on or timezone.localdate(),
                "decided_by_id": by.user_id,
            },
            reason=notes.strip(),
        )
        audited_update(project, {"review_decision": decision}, reason=notes.strip())
    return review


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


def milestone_add(
    by: Principal, project: Project, *, name: str, due: dt.date, owner_unit: Any = None
) -> Milestone:
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    if not name.strip():
        raise ValidationError({"name": "节点：必须填写。"})
    return audited_create(Milestone(project=project, name=name.strip(), due=due, owner_unit=owner_unit))


def milestone_done(by: Principal, milestone: Milestone, *, on: dt.date) -> Milestone:
    require_in_scope(by, milestone.project, Action.EDIT_BUSINESS)
    if milestone.done_on is not None:
        raise ValidationError({"done_on": f"节点“{milestone.name}”已于 {milestone.done_on:%Y-%m-%d} 完成。"})
    audited_update(milestone, {"done_on": on}, reason="方案节点完成")
    return milestone
