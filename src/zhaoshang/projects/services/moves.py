"""Moving a project through its stages, as the state machine allows, with the evidence each move needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_update
from zhaoshang.projects import notices
from zhaoshang.projects.engines import lifecycle, promises
from zhaoshang.projects.engines.lifecycle import Facts, Stage
from zhaoshang.projects.models import Project, StageMove
from zhaoshang.projects.services.evidence import check_sizes, evidence_store
from zhaoshang.projects.services.reviews import review_submit

# What a move may supply, by the field it sets on the project.
SUPPLIED = {
    "contract_amount": "contract_amount",
    "land_area": "land_area_mu",
    "start_date": "start_date",
    "production_date": "production_date",
    "full_output_date": "full_output_date",
    "drop_reason": "drop_reason",
}


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


def _signing_problems(project: Project, on: dt.date) -> dict[str, str]:
    """A signing is dated neither before the pre-review decided it nor in the future."""
    decided = (
        project.reviews.exclude(decided_on=None)
        .order_by("-decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )
    if decided is not None and on < decided:
        return {"on": f"签约日期：不能早于预审决定日期 {decided:%Y-%m-%d}"}
    if on > timezone.localdate():
        return {"on": "签约日期：不能晚于今天"}
    return {}


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
    check_sizes(evidence or [])
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
    if goal == Stage.SIGNED and not found:
        found = _signing_problems(project, on)
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
            evidence_store(by, project, kind, name, data, move=move)
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
            review_submit(by, project, on)
        audited_update(
            project,
            changes,
            reason=opinion or f"{source.label}→{goal.label}",
            action=AuditEvent.Action.UPDATE,
        )
        notices.project_moved(by, project, move)  # the task force hears of it
    return move
