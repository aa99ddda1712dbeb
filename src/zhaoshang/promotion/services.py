"""Audited writes of the promotion library: create, edit, move through the statuses, attach files."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.core import audit, industries, versioning
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require, require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.org import references
from zhaoshang.org.models import Unit
from zhaoshang.projects.models import Project
from zhaoshang.promotion.models import MATURITIES, PROMOTION_STATUSES, PromotionFile, PromotionProject

MAX_FILE_BYTES = 20 * 1024 * 1024
EDITABLE = (
    "name",
    "unit",
    "industry_code",
    "chain_node",
    "estimated_investment",
    "land_mu",
    "maturity",
    "description",
)
STATUS_LABELS = dict(PROMOTION_STATUSES)
# The moves a proposal may make; closing and reopening carry a reason, matching a project.
MOVES: dict[str, tuple[str, ...]] = {
    "reserve": ("promoting", "closed"),
    "promoting": ("matched", "closed"),
    "matched": ("closed",),
    "closed": ("reserve",),
}


def targets(status: str, principal: Principal) -> list[tuple[str, str]]:
    """The statuses this principal may move a proposal to from `status`, with their labels."""
    return [
        (t, STATUS_LABELS[t])
        for t in MOVES.get(status, ())
        if status != "closed" or principal.can(Action.CONFIGURE_RULES)
    ]


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Check what a person typed, naming the field in each message; returns the values normalised."""
    found: dict[str, str] = {}
    out = dict(values)
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        if not out["name"]:
            found["name"] = "项目名称：必须填写"
    if "unit" in out and out["unit"] is None:
        found["unit"] = "策划单位：必须选择"
    if code := (out.get("industry_code") or "").strip():
        try:
            out["industry_code"] = industries.validate(code).code
        except ValueError as exc:
            found["industry_code"] = f"行业代码：{exc}"
    elif "industry_code" in out:
        out["industry_code"] = ""
    for name, label in (("estimated_investment", "估算投资（万元）"), ("land_mu", "用地（亩）")):
        value = out.get(name)
        if value is not None and Decimal(value) < 0:
            found[name] = f"{label}：不能为负数"
    if "maturity" in out and out["maturity"] not in dict(MATURITIES):
        found["maturity"] = "策划深度：只能是项目构想、项目建议书或可行性研究"
    for name in ("chain_node", "description"):
        if name in out:
            out[name] = (out[name] or "").strip()
    if found:
        raise ValidationError(found)
    return out


def _require_unit(by: Principal, unit: Unit) -> None:
    # The planning unit decides who may later edit the proposal, so it must be one's own subtree.
    references.check_unit(by, unit, field="unit", label="策划单位")


def promotion_create(by: Principal, **fields: Any) -> PromotionProject:
    require(by, Action.EDIT_BUSINESS)
    values = _clean({k: v for k, v in fields.items() if k in EDITABLE})
    _require_unit(by, values["unit"])
    return audited_create(PromotionProject(**values, status="reserve"))


def promotion_update(
    by: Principal,
    promotion: PromotionProject,
    changes: dict[str, Any],
    *,
    reason: str = "",
    version: int | None = None,
) -> list[str]:
    """Edit the proposal's package; a closed proposal stays as it was closed until reopened.

    `version` is the one the editor read: a save against an older one raises `StaleEdit`.
    """
    require(by, Action.EDIT_BUSINESS)
    require_in_scope(by, promotion, Action.EDIT_BUSINESS)
    if promotion.status == "closed":
        raise ValidationError({"status": "状态：已关闭的储备项目不能修改，请先重新启用"})
    values = _clean({k: v for k, v in changes.items() if k in EDITABLE})
    if "unit" in values and values["unit"] != promotion.unit:
        _require_unit(by, values["unit"])
    with versioning.editing(promotion, version):
        return audited_update(promotion, values, reason=reason.strip())


def promotion_move(
    by: Principal,
    promotion: PromotionProject,
    target: str,
    *,
    reason: str = "",
    project: Project | None = None,
) -> PromotionProject:
    """Move the proposal along reserve → promoting → matched → closed; the reason goes into the audit."""
    require(by, Action.EDIT_BUSINESS)
    require_in_scope(by, promotion, Action.EDIT_BUSINESS)
    source, reason = promotion.status, reason.strip()
    if target not in STATUS_LABELS:
        raise ValidationError({"target": "变更到：请选择要变更到的状态"})
    if target not in MOVES[source]:
        raise ValidationError(
            {"target": f"变更到：不能从“{STATUS_LABELS[source]}”直接变为“{STATUS_LABELS[target]}”"}
        )
    changes: dict[str, Any] = {"status": target}
    if target == "closed" and source in ("reserve", "promoting") and not reason:
        raise ValidationError({"reason": "原因：关闭未对接的储备项目须写明原因"})
    if source == "closed":
        if not by.can(Action.CONFIGURE_RULES):
            raise ValidationError({"target": "变更到：只有统筹协调人员可以重新启用已关闭的储备项目"})
        if not reason:
            raise ValidationError({"reason": "原因：重新启用须写明原因"})
        changes["project"] = None  # back in the library, waiting for another investor
    if target == "matched":
        if project is None:
            raise ValidationError({"project": "对接项目：请选择对接的招商项目"})
        # Matching names a project on the proposal's page, so it must be one the person may see.
        if not Project.objects.visible_to(by).filter(pk=project.pk).exists():
            raise ValidationError({"project": "对接项目：该招商项目不在您的查看范围内"})
        changes["project"] = project
    with transaction.atomic():
        audited_update(
            promotion,
            changes,
            reason=reason or f"{STATUS_LABELS[source]}→{STATUS_LABELS[target]}",
            action=AuditEvent.Action.TRANSITION,
        )
    return promotion


def promotion_attach(by: Principal, promotion: PromotionProject, filename: str, data: bytes) -> PromotionFile:
    """Add a document (建议书, 可研, 推介材料) to the proposal; at most 20 MB."""
    require(by, Action.EDIT_BUSINESS)
    require_in_scope(by, promotion, Action.EDIT_BUSINESS)
    name = (filename or "").strip().replace("/", "_").replace("\\", "_")[:200]
    if not name:
        raise ValidationError({"file": "附件：文件名不能为空"})
    if not data:
        raise ValidationError({"file": f"附件：{name} 是空文件"})
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError({"file": f"附件：{name} 超过 20 MB"})
    if promotion.status == "closed":
        raise ValidationError({"file": "附件：已关闭的储备项目不能再上传附件"})
    with transaction.atomic():
        item = PromotionFile.objects.create(
            promotion=promotion, filename=name, content=data, size=len(data), uploaded_by_id=by.user_id
        )
        # The bytes stay out of the event; the name and size identify the file.
        audit.record(
            AuditEvent.Action.CREATE,
            item,
            after={"promotion": promotion.pk, "filename": name, "size": len(data)},
        )
        # The proposal's own history shows the upload too, since that is where people look for it.
        audit.record(AuditEvent.Action.UPDATE, promotion, reason=f"上传附件 {name}")
    return item
