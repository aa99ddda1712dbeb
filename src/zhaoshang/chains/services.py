"""Audited writes of the chains app: chains and nodes, placements, target companies, the five lists,
work plans and the chief's monthly report.

Who may change a chain: the county's coordinators and the staff of the chain's lead unit. Everyone
in the county reads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from zhaoshang.chains import notices, selectors
from zhaoshang.chains.models import (
    COMMITMENT_KINDS,
    MODES,
    NODE_STATUSES,
    PROBLEM_STATUSES,
    SEGMENTS,
    STRENGTHS,
    TARGET_STATUSES,
    Chain,
    ChainNode,
    ChainPolicy,
    ChainProblem,
    Commitment,
    Meeting,
    NodeEnterprise,
    NodeProject,
    Report,
    TargetCompany,
    WorkPlan,
)
from zhaoshang.core import audit, industries
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.notifications import notify
from zhaoshang.core.permissions import SYSTEM, require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org.models import Membership
from zhaoshang.projects import services as project_services
from zhaoshang.projects.engines.prereview import ExtraRule
from zhaoshang.projects.models import Project

TARGET_LABELS = dict(TARGET_STATUSES)
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


# --- who may write ------------------------------------------------------------------------------------


def may_write(by: Principal, chain: Chain) -> bool:
    """A coordinator of the chain's county, or staff of its lead unit (or a unit inside it)."""
    if by is SYSTEM:
        return True
    if by.read_only or not by.can(Action.EDIT_BUSINESS):
        return False
    if by.can(Action.CONFIGURE_RULES):
        county = chain.county.path
        if any(county.startswith(p) for p in by.acting_for(Action.CONFIGURE_RULES).unit_paths):
            return True
    lead = chain.lead_unit.path
    return any(lead.startswith(p) for p in by.acting_for(Action.EDIT_BUSINESS).unit_paths)


def require_writer(by: Principal, chain: Chain) -> None:
    require(by, Action.EDIT_BUSINESS)
    if not may_write(by, chain):
        raise PermissionDenied("只有县统筹协调人员和该产业链的牵头单位可以修改产业链。")


def _require_coordinator(by: Principal, chain: Chain) -> None:
    require(by, Action.CONFIGURE_RULES)
    require_writer(by, chain)


# --- checks ----------------------------------------------------------------------------------------


def _not_negative(values: dict[str, Any], labels: dict[str, str], found: dict[str, str]) -> None:
    for name, label in labels.items():
        value = values.get(name)
        if value is not None and Decimal(value) < 0:
            found[name] = f"{label}：不能为负数"


def _codes(raw: str, found: dict[str, str]) -> str:
    """ "3421, 3491" → "3421,3491"; every code a real GB/T 4754 code (a 大类 or finer)."""
    codes = []
    for part in (raw or "").replace("，", ",").replace("、", ",").split(","):
        if not part.strip():
            continue
        try:
            codes.append(industries.validate(part.strip()).code)
        except ValueError as exc:
            found["industry_codes"] = f"行业代码：{exc}"
    return ",".join(dict.fromkeys(codes))


def _text(values: dict[str, Any], name: str, label: str, found: dict[str, str], *, required: bool) -> None:
    if name in values:
        values[name] = (values[name] or "").strip()
        if required and not values[name]:
            found[name] = f"{label}：必须填写"


CHAIN_FIELDS = (
    "name",
    "cluster",
    "chief",
    "lead_unit",
    "output_target",
    "min_investment",
    "min_intensity",
    "min_tax_per_mu",
    "max_energy_per_output",
    "target_stale_days",
    "sort_order",
)
CHAIN_RELATIONS = ("deputy_chiefs", "member_units", "anchors")
CHAIN_NUMBERS = {
    "output_target": "年度产值目标（万元）",
    "min_investment": "准入：计划投资不低于（万元）",
    "min_intensity": "准入：投资强度不低于（万元/亩）",
    "min_tax_per_mu": "准入：亩均税收不低于（万元/亩）",
    "max_energy_per_output": "准入：单位产值能耗不高于（吨标准煤/万元）",
}


def _clean_chain(values: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, str] = {}
    _text(values, "name", "产业链名称", found, required=True)
    _not_negative(values, CHAIN_NUMBERS, found)
    for name, label in (("chief", "链长"), ("lead_unit", "牵头单位")):
        if name in values and values[name] is None:
            found[name] = f"{label}：必须选择"
    if found:
        raise ValidationError(found)
    return values


def chain_create(by: Principal, county: Any, **fields: Any) -> Chain:
    require(by, Action.CONFIGURE_RULES)
    related = {k: fields.pop(k) for k in CHAIN_RELATIONS if k in fields}
    values = _clean_chain({k: v for k, v in fields.items() if k in CHAIN_FIELDS})
    chain = Chain(county=county, **values)
    if not may_write(by, chain):
        raise PermissionDenied("只有本县统筹协调人员可以设立产业链。")
    with transaction.atomic():
        audited_create(chain)
        _set_relations(chain, related)
    return chain


def _set_relations(chain: Chain, related: dict[str, Iterable[Any]]) -> None:
    for name, items in related.items():
        manager = getattr(chain, name)
        before = sorted(str(x) for x in manager.all())
        manager.set(list(items))
        after = sorted(str(x) for x in manager.all())
        if before != after:
            label = str(Chain._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
            audit.record(
                AuditEvent.Action.UPDATE,
                chain,
                before={name: before},
                after={name: after},
                reason=f"{label}调整",
            )


def chain_update(by: Principal, chain: Chain, changes: dict[str, Any], *, reason: str = "") -> list[str]:
    _require_coordinator(by, chain)
    related = {k: changes.pop(k) for k in CHAIN_RELATIONS if k in changes}
    values = _clean_chain({k: v for k, v in changes.items() if k in CHAIN_FIELDS})
    with transaction.atomic():
        changed = audited_update(chain, values, reason=reason.strip())
        _set_relations(chain, related)
    return changed


# --- nodes and placements ----------------------------------------------------------------------------


def node_create(by: Principal, chain: Chain, **fields: Any) -> ChainNode:
    require_writer(by, chain)
    found: dict[str, str] = {}
    values = {
        k: fields.get(k) for k in ("segment", "name", "industry_codes", "keywords", "parent", "sort_order")
    }
    values = {k: v for k, v in values.items() if v is not None}
    _text(values, "name", "环节名称", found, required=True)
    if values.get("segment") not in dict(SEGMENTS):
        found["segment"] = "链段：只能是上游、中游或下游"
    values["industry_codes"] = _codes(values.get("industry_codes") or "", found)
    values["keywords"] = ",".join(
        w.strip() for w in (values.get("keywords") or "").replace("，", ",").split(",") if w.strip()
    )
    parent = values.get("parent")
    if parent is not None and parent.chain_id != chain.pk:
        found["parent"] = "上级环节：必须是本产业链的环节"
    status = fields.get("status") or "weak"
    if status not in dict(NODE_STATUSES):
        found["status"] = "环节状态：只能是强链、补链或断点"
    if found:
        raise ValidationError(found)
    return audited_create(
        ChainNode(
            chain=chain, status=status, status_reason=(fields.get("status_reason") or "").strip(), **values
        )
    )


def node_set_status(by: Principal, node: ChainNode, status: str, reason: str) -> ChainNode:
    """The lead unit judges a node strong, weak or missing, and says why (the reason is kept)."""
    require_writer(by, node.chain)
    reason = (reason or "").strip()
    labels = dict(NODE_STATUSES)
    if status not in labels:
        raise ValidationError({"status": "环节状态：只能是强链、补链或断点"})
    if not reason:
        raise ValidationError({"reason": "判断依据：请写明为什么这样判断"})
    audited_update(
        node,
        {"status": status, "status_reason": reason[:300]},
        reason=f"环节状态：{labels[node.status]}→{labels[status]}",
        action=AuditEvent.Action.TRANSITION,
    )
    return node


def place_enterprises(by: Principal, node: ChainNode, enterprises: Iterable[Enterprise]) -> int:
    """Confirm that these enterprises sit on the node (those already on it are left as they are)."""
    require_writer(by, node.chain)
    chosen = list(enterprises)
    county = node.chain.county.path
    outside = [e.name for e in chosen if not (e.town.path.startswith(county))]
    if outside:
        raise ValidationError({"enterprises": f"企业：{outside[0]} 不在本县"})
    already = set(
        NodeEnterprise.objects.filter(node=node, enterprise__in=chosen).values_list(
            "enterprise_id", flat=True
        )
    )
    new = [e for e in chosen if e.pk not in already]
    with transaction.atomic():
        NodeEnterprise.objects.bulk_create(
            [NodeEnterprise(node=node, enterprise=e, confirmed_by_id=by.user_id) for e in new],
            batch_size=2000,
        )
        if new:
            names = "、".join(e.name for e in new[:20]) + (f" 等 {len(new)} 家" if len(new) > 20 else "")
            audit.record(
                AuditEvent.Action.UPDATE, node, after={"企业": len(new)}, reason=f"确认企业在本环节：{names}"
            )
    return len(new)


def place_projects(by: Principal, node: ChainNode, projects: Iterable[Project]) -> int:
    require_writer(by, node.chain)
    chosen = list(projects)
    visible = set(
        Project.objects.visible_to(by).filter(pk__in=[p.pk for p in chosen]).values_list("pk", flat=True)
    )
    if by is not SYSTEM and (hidden := [p.name for p in chosen if p.pk not in visible]):
        raise ValidationError({"projects": f"项目：{hidden[0]} 不在您的查看范围内"})
    already = set(
        NodeProject.objects.filter(node=node, project__in=chosen).values_list("project_id", flat=True)
    )
    new = [p for p in chosen if p.pk not in already]
    with transaction.atomic():
        NodeProject.objects.bulk_create(
            [NodeProject(node=node, project=p, confirmed_by_id=by.user_id) for p in new]
        )
        for p in new:
            audit.record(AuditEvent.Action.UPDATE, p, reason=f"列入产业链环节：{node}")
    return len(new)


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


def target_create(by: Principal, chain: Chain, on: dt.date | None = None, **fields: Any) -> TargetCompany:
    require_writer(by, chain)
    values = _clean_target(chain, {k: v for k, v in fields.items() if k in TARGET_FIELDS})
    with transaction.atomic():
        target = audited_create(
            TargetCompany(
                chain=chain, status="not_contacted", status_since=on or timezone.localdate(), **values
            )
        )
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


# --- 政策清单, 问题清单 ---------------------------------------------------------------------------------


def policy_add(by: Principal, chain: Chain, **fields: Any) -> ChainPolicy:
    require_writer(by, chain)
    found: dict[str, str] = {}
    values = {k: fields.get(k) for k in ("title", "issuer", "document_no", "summary", "valid_until")}
    for name, label in (("title", "政策名称"), ("issuer", ""), ("document_no", ""), ("summary", "")):
        _text(values, name, label, found, required=name == "title")
    if found:
        raise ValidationError(found)
    return audited_create(ChainPolicy(chain=chain, **values))


def policy_withdraw(by: Principal, policy: ChainPolicy, reason: str) -> ChainPolicy:
    require_writer(by, policy.chain)
    if not (reason or "").strip():
        raise ValidationError({"reason": "原因：撤下政策须写明原因"})
    audited_update(policy, {"withdrawn": True}, reason=reason.strip())
    return policy


def problem_raise(by: Principal, chain: Chain, **fields: Any) -> ChainProblem:
    require_writer(by, chain)
    found: dict[str, str] = {}
    values = {k: fields.get(k) for k in ("title", "description", "owner_unit", "deadline", "node")}
    _text(values, "title", "问题", found, required=True)
    _text(values, "description", "", found, required=False)
    today = timezone.localdate()
    raised = fields.get("raised_on") or today
    if values["owner_unit"] is None:
        found["owner_unit"] = "责任单位：必须选择"
    if values["deadline"] is None:
        found["deadline"] = "办结时限：必须填写"
    elif values["deadline"] < raised:
        found["deadline"] = f"办结时限：不能早于提出日期 {raised:%Y-%m-%d}"
    if values["node"] is not None and values["node"].chain_id != chain.pk:
        found["node"] = "环节：请选择本产业链的环节"
    if found:
        raise ValidationError(found)
    with transaction.atomic():
        problem = audited_create(ChainProblem(chain=chain, raised_on=raised, **values))
        staff = Membership.objects.filter(unit=problem.owner_unit).values_list("user_id", flat=True)
        notify(
            staff,
            kind=notices.PROBLEM_ASSIGNED,
            title=f"产业链问题交办：{problem.title}",
            body=f"{chain.name}产业链，办结时限 {problem.deadline:%Y-%m-%d}。",
            link=reverse("chain-list-of", args=[chain.pk, "problems"]),
            dedupe_key=f"chain-problem:{problem.pk}",
        )
    return problem


def problem_progress(by: Principal, problem: ChainProblem, status: str, resolution: str) -> ChainProblem:
    require_writer(by, problem.chain)
    if status not in dict(PROBLEM_STATUSES):
        raise ValidationError({"status": "状态：请选择"})
    resolution = (resolution or "").strip()
    if status == "solved" and not resolution:
        raise ValidationError({"resolution": "解决情况：标记已解决须写明怎样解决的"})
    audited_update(
        problem,
        {"status": status, "resolution": resolution or problem.resolution},
        reason=resolution,
        action=AuditEvent.Action.TRANSITION,
    )
    return problem


# --- 工作方案 ---------------------------------------------------------------------------------------


def plan_save(
    by: Principal, chain: Chain, year: int, *, goals: str, measures: str, targets: str = "", note: str = ""
) -> WorkPlan:
    """A new version of the year's plan; earlier versions stay as they were."""
    require_writer(by, chain)
    found: dict[str, str] = {}
    values = {"goals": goals, "measures": measures, "targets": targets, "note": note}
    _text(values, "goals", "工作目标", found, required=True)
    _text(values, "measures", "工作措施", found, required=True)
    _text(values, "targets", "", found, required=False)
    _text(values, "note", "", found, required=False)
    this_year = timezone.localdate().year
    if not this_year - 5 <= year <= this_year + 1:
        found["year"] = f"年度：只能是 {this_year - 5} 至 {this_year + 1} 年"
    if found:
        raise ValidationError(found)
    with transaction.atomic():
        last = WorkPlan.objects.filter(chain=chain, year=year).aggregate(n=Max("number"))["n"] or 0
        assert by.user_id is not None or by is SYSTEM
        return audited_create(
            WorkPlan(chain=chain, year=year, number=last + 1, by_id=by.user_id or chain.chief_id, **values),
            reason=values["note"] or f"第 {last + 1} 版",
        )


# --- 推进会 and the chief's monthly report --------------------------------------------------------------


def first_of(month: dt.date) -> dt.date:
    return month.replace(day=1)


def meeting_schedule(by: Principal, county: Any, month: dt.date, due_on: dt.date) -> Meeting:
    require(by, Action.CONFIGURE_RULES)
    month = first_of(month)
    if due_on < month:
        raise ValidationError({"due_on": f"报告截止日期：不能早于 {month:%Y年%m月}"})
    meeting = Meeting.objects.filter(county=county, month=month).first()
    if meeting is None:
        return audited_create(Meeting(county=county, month=month, due_on=due_on))
    if meeting.held_on:
        raise ValidationError({"due_on": "报告截止日期：推进会已召开，不能再改"})
    audited_update(meeting, {"due_on": due_on}, reason="调整报告截止日期")
    return meeting


def meeting_held(by: Principal, meeting: Meeting, on: dt.date) -> int:
    """The meeting was held: every report of the month is locked with its figures as they stood."""
    require(by, Action.CONFIGURE_RULES)
    if meeting.held_on:
        raise ValidationError({"held_on": f"召开日期：已于 {meeting.held_on:%Y-%m-%d} 召开"})
    if on < meeting.month or on > timezone.localdate():
        raise ValidationError({"held_on": "召开日期：须在本月之内且不晚于今天"})
    with transaction.atomic():
        audited_update(meeting, {"held_on": on}, reason="推进会召开，锁定月报")
        reports = list(
            Report.objects.filter(
                chain__county=meeting.county, month=meeting.month, locked=False
            ).select_related("chain")
        )
        for report in reports:
            audited_update(
                report,
                {"locked": True, "figures": selectors.report_figures(report.chain, report.month)},
                reason="推进会召开，月报锁定",
            )
    return len(reports)


REPORT_TEXTS = {
    "achievements": "工作成效",
    "shortfalls": "问题和不足",
    "causes": "原因分析",
    "plan": "下月计划",
}


def report_file(
    by: Principal,
    chain: Chain,
    month: dt.date,
    *,
    commitments: Iterable[tuple[Project, str]] = (),
    at: dt.datetime | None = None,
    **texts: str,
) -> Report:
    """File (or, until the meeting locks it, revise) the chain's report for `month`.

    Commitments are the chain's own projects, to sign or to land this month; the figures part is
    the data's and is computed, never typed."""
    require_writer(by, chain)
    month = first_of(month)
    at = at or timezone.now()
    found: dict[str, str] = {}
    values = {k: texts.get(k, "") for k in REPORT_TEXTS}
    for name, label in REPORT_TEXTS.items():
        _text(values, name, label, found, required=True)
    if month > first_of(timezone.localtime(at).date()):
        found["month"] = "月份：不能填报以后月份的月报"
    chosen = list(commitments)
    own = set(selectors.chain_project_ids(chain))
    for project, kind in chosen:
        if project.pk not in own:
            found["commitments"] = f"承诺项目：{project.name} 不在本产业链的项目清单中"
        elif kind not in dict(COMMITMENT_KINDS):
            found["commitments"] = "承诺事项：只能是本月签约或本月落地"
    if found:
        raise ValidationError(found)
    meeting = Meeting.objects.filter(county=chain.county, month=month).first()
    report = Report.objects.filter(chain=chain, month=month).first()
    if report is not None and report.locked:
        raise ValidationError({"month": f"月份：{month:%Y年%m月}推进会已召开，月报已锁定"})
    late = bool(meeting and timezone.localtime(at).date() > meeting.due_on)
    held = bool(meeting and meeting.held_on)
    with transaction.atomic():
        if report is None:
            report = audited_create(
                Report(
                    chain=chain,
                    month=month,
                    filed_by_id=by.user_id or chain.chief_id,
                    filed_at=at,
                    late=late,
                    locked=held,  # filed after the meeting: kept as filed, marked late
                    figures=selectors.report_figures(chain, month) if held else {},
                    **values,
                ),
                reason="逾期填报" if late else "",
            )
        else:
            audited_update(report, {**values, "late": report.late or late}, reason="修改月报")
        before = sorted((c.project_id, c.kind) for c in report.commitments.all())
        wanted = sorted({(p.pk, k) for p, k in chosen})
        if before != wanted:
            report.commitments.all().delete()  # the commitment set is part of the report being drafted
            Commitment.objects.bulk_create(
                [Commitment(report=report, project_id=p, kind=k) for p, k in wanted]
            )
            names = dict(Project.objects.filter(pk__in=[p for p, _ in wanted]).values_list("pk", "name"))
            labels = dict(COMMITMENT_KINDS)
            audit.record(
                AuditEvent.Action.UPDATE,
                report,
                after={"承诺": [f"{names[p]}（{labels[k]}）" for p, k in wanted]},
                reason="承诺项目",
            )
    return report


# --- the pre-review's chain rule ------------------------------------------------------------------------


def review_thresholds(project: Project) -> list[ExtraRule]:
    """The entry thresholds of each chain the project is placed on, for its pre-review."""
    chains = Chain.objects.filter(nodes__projects__project=project).distinct().order_by("pk")
    rules = []
    for chain in chains:
        thresholds = {
            key: value
            for key, value in (
                ("min_investment", chain.min_investment),
                ("min_intensity", chain.min_intensity),
                ("min_tax_per_mu", chain.min_tax_per_mu),
                ("max_energy_per_output", chain.max_energy_per_output),
            )
            if value is not None
        }
        if thresholds:
            rules.append(ExtraRule(f"产业链“{chain.name}”准入门槛", thresholds))
    return rules
