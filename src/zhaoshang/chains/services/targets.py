"""Audited writes of the target companies (招商清单): their contact states and their turning into projects."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhaoshang.chains import notices
from zhaoshang.chains.models import (
    MODES,
    STRENGTHS,
    TARGET_STATUSES,
    Chain,
    NodeProject,
    TargetCompany,
)
from zhaoshang.chains.services.chains import _text, require_writer
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.notifications import Draft, notify, notify_many
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Project

TARGET_LABELS = dict(TARGET_STATUSES)
DIGEST_LINES = 20
# 未接触 → 已接触 → 已拜访 → 洽谈中 → 已转为项目; any open state may be dropped (with a reason) and a
# dropped target taken up again.
TARGET_MOVES: dict[str, tuple[str, ...]] = {
    "not_contacted": ("contacted", "visited", "dropped"),
    "contacted": ("visited", "negotiating", "dropped"),
    "visited": ("negotiating", "dropped"),
    "negotiating": ("dropped",),
    "dropped": ("not_contacted", "contacted"),
    "converted": (),
}
# A target may become a project once someone has met it.
CONVERTIBLE = ("visited", "negotiating")


# --- target companies (招商清单) ----------------------------------------------------------------------

TARGET_FIELDS = ("node", "name", "location", "strength", "fit", "mode", "team", "leader")


def _clean_target(chain: Chain, values: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, str] = {}
    _text(values, "name", "企业名称", found, required=True)
    for name in ("location", "fit"):
        _text(values, name, "", found, required=False)
    if "node" in values and (values["node"] is None or values["node"].chain_id != chain.pk):
        found["node"] = "环节：请选择本产业链的环节"
    if "strength" in values and values["strength"] not in dict(STRENGTHS):
        found["strength"] = "企业类别：请选择"
    if "mode" in values and values["mode"] not in dict(MODES):
        found["mode"] = "招商模式：只能是龙头带动、产业配套或链条延伸"
    if found:
        raise ValidationError(found)
    return values


def _tell_leader(target: TargetCompany) -> None:
    if target.leader_id:
        notify(
            [target.leader_id],
            kind=notices.TARGET_ASSIGNED,
            title=f"请联系目标企业：{target.name}",
            body=f"{target.chain.name}产业链·{target.node.name}，招商模式：{target.get_mode_display()}。",
            link=reverse("chain-target", args=[target.pk]),
            dedupe_key=f"chain-target:{target.pk}:{target.leader_id}",
        )


def tell_leaders(targets: Iterable[TargetCompany], day: dt.date | None = None) -> int:
    """Targets handed out many at once (an import, a new chain's list): each leader hears ONCE, one
    message listing their targets, instead of one message per company."""
    mine: dict[int, list[TargetCompany]] = defaultdict(list)
    for t in targets:
        if t.leader_id:
            mine[t.leader_id].append(t)
    drafts = [
        Draft(
            recipient_id=leader_id,
            title=f"有 {len(rows)} 家目标企业交由您联系",
            link=reverse("chain-list"),
            items=[
                {
                    "title": f"{t.name}（{t.chain.name}产业链·{t.node.name}）",
                    "link": reverse("chain-target", args=[t.pk]),
                }
                for t in rows[:DIGEST_LINES]
            ],
            body=f"另有 {len(rows) - DIGEST_LINES} 家，见各产业链招商清单。"
            if len(rows) > DIGEST_LINES
            else "",
        )
        for leader_id, rows in sorted(mine.items())
    ]
    day = day or timezone.localdate()
    return notify_many(
        drafts, kind=notices.TARGET_ASSIGNED, dedupe_key=f"chain-targets:{day:%Y-%m-%d}", day=day
    )


def target_create(
    by: Principal, chain: Chain, on: dt.date | None = None, *, tell: bool = True, **fields: Any
) -> TargetCompany:
    """A new target on the chain's 招商清单; its leader is told at once unless `tell` is off (many
    created together are told in one message by `tell_leaders`)."""
    require_writer(by, chain)
    values = _clean_target(chain, {k: v for k, v in fields.items() if k in TARGET_FIELDS})
    with transaction.atomic():
        target = audited_create(
            TargetCompany(
                chain=chain, status="not_contacted", status_since=on or timezone.localdate(), **values
            )
        )
        if tell:
            _tell_leader(target)
    return target


def target_update(
    by: Principal, target: TargetCompany, changes: dict[str, Any], *, reason: str = ""
) -> list[str]:
    require_writer(by, target.chain)
    values = _clean_target(target.chain, {k: v for k, v in changes.items() if k in TARGET_FIELDS})
    leader_before = target.leader_id
    with transaction.atomic():
        changed = audited_update(target, values, reason=reason.strip())
        if target.leader_id != leader_before:
            _tell_leader(target)
    return changed


def target_moves(target: TargetCompany) -> list[tuple[str, str]]:
    return [(s, TARGET_LABELS[s]) for s in TARGET_MOVES[target.status]]


def target_move(
    by: Principal, target: TargetCompany, status: str, *, on: dt.date | None = None, reason: str = ""
) -> TargetCompany:
    require_writer(by, target.chain)
    source, reason = target.status, (reason or "").strip()
    if status not in TARGET_LABELS or status == "converted":
        raise ValidationError({"status": "变更到：请选择要变更到的对接状态"})
    if status not in TARGET_MOVES[source]:
        raise ValidationError(
            {"status": f"变更到：不能从“{TARGET_LABELS[source]}”直接变为“{TARGET_LABELS[status]}”"}
        )
    if status == "dropped" and not reason:
        raise ValidationError({"reason": "原因：放弃目标企业须写明原因"})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": "日期：不能晚于今天"})
    if on < target.status_since:
        raise ValidationError({"on": f"日期：不能早于进入当前状态的日期 {target.status_since:%Y-%m-%d}"})
    changes: dict[str, Any] = {"status": status, "status_since": on}
    changes["drop_reason"] = reason[:300] if status == "dropped" else ""
    audited_update(
        target,
        changes,
        reason=reason or f"{TARGET_LABELS[source]}→{TARGET_LABELS[status]}",
        action=AuditEvent.Action.TRANSITION,
    )
    return target


def target_convert(by: Principal, target: TargetCompany, **project_fields: Any) -> Project:
    """Turn a met target into a project lead carrying what is known; the target shows the project."""
    require_writer(by, target.chain)
    if target.status not in CONVERTIBLE:
        raise ValidationError(
            {"status": f"转为项目：目标企业须已拜访或洽谈中，现为“{TARGET_LABELS[target.status]}”"}
        )
    fields = {
        "name": f"{target.name}{target.node.name}项目",
        "investor_name": target.name,
        "investor_origin": target.location,
        "investor_rank": target.strength
        if target.strength in ("global500", "china500", "private500")
        else "",
        "channel": "team",
        "description": f"产业链招商：{target.chain.name}·{target.node.name}（{target.get_mode_display()}）。{target.fit}",
        "industry_code": (target.node.codes or [""])[0],
        "responsible_leader": target.leader,
        "lead_unit": target.team or target.chain.lead_unit,
    }
    fields |= {k: v for k, v in project_fields.items() if v not in (None, "")}
    if fields.get("responsible_leader") is None:
        fields.pop("responsible_leader")
    with transaction.atomic():
        project = project_services.project_create(by, **fields)
        NodeProject.objects.create(node=target.node, project=project, confirmed_by_id=by.user_id)
        audited_update(
            target,
            {"status": "converted", "status_since": timezone.localdate(), "project": project},
            reason=f"转为招商项目：{project.name}",
            action=AuditEvent.Action.TRANSITION,
        )
    return project
