"""Audited writes of a chain, its nodes and placements, its policies and problems.

Who may change a chain: the county's coordinators and the staff of the chain's lead unit. Everyone
in the county reads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhaoshang.chains import notices
from zhaoshang.chains.models import (
    NODE_STATUSES,
    PROBLEM_STATUSES,
    SEGMENTS,
    Chain,
    ChainNode,
    ChainPolicy,
    ChainProblem,
    NodeEnterprise,
    NodeProject,
)
from zhaoshang.core import audit, industries
from zhaoshang.core.checks import not_negative as _not_negative
from zhaoshang.core.checks import text as _text
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.notifications import notify
from zhaoshang.core.permissions import SYSTEM, require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org import references
from zhaoshang.org.models import Membership
from zhaoshang.projects.models import Project

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


def _check_people_and_units(
    by: Principal, county: Any, values: dict[str, Any], related: dict[str, Any]
) -> None:
    """The chief and deputies are leaders one may name, the units are the county's, and so are the
    anchor enterprises and the cluster."""
    if by is SYSTEM:
        return
    references.check_leader(by, values.get("chief"), field="chief", label="链长")
    for deputy in related.get("deputy_chiefs", ()):
        references.check_leader(by, deputy, field="deputy_chiefs", label="副链长")
    references.check_unit(by, values.get("lead_unit"), field="lead_unit", label="牵头单位")
    references.check_units(by, related.get("member_units", ()), field="member_units", label="责任单位")
    outside = [e.name for e in related.get("anchors", ()) if not e.town.path.startswith(county.path)]
    if outside:
        raise ValidationError({"anchors": f"链主企业：{'、'.join(outside)} 不是本县企业"})
    cluster = values.get("cluster")
    if cluster is not None and cluster.county_id != county.pk:
        raise ValidationError({"cluster": "所属产业集群：只能选择本县的产业集群"})


def chain_create(by: Principal, county: Any, **fields: Any) -> Chain:
    require(by, Action.CONFIGURE_RULES)
    related = {k: fields.pop(k) for k in CHAIN_RELATIONS if k in fields}
    values = _clean_chain({k: v for k, v in fields.items() if k in CHAIN_FIELDS})
    _check_people_and_units(by, county, values, related)
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
    _check_people_and_units(by, chain.county, values, related)
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
    # One query for all of them: which lie outside the chain's county.
    outside = list(
        Enterprise.objects.filter(pk__in=[e.pk for e in chosen])
        .exclude(town__path__startswith=county)
        .values_list("name", flat=True)[:1]
    )
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
