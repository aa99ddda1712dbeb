"""Registering a project and editing what describes it; stage and signing figures move only with a move."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core import audit, industries, versioning
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require, require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.org import references
from zhaoshang.projects.engines.lifecycle import Stage
from zhaoshang.projects.models import Project

RELATIONS = ("member_units", "task_force")
FOREIGN_KEYS = ("town", "park", "lead_unit", "responsible_leader", "enterprise")


def check_references(by: Principal, fields: dict[str, Any], current: Project | None = None) -> None:
    """Every unit, leader, person and enterprise the fields name must be one `by` may name.

    On an edit only what changes is checked: a record keeps the references others gave it.
    """

    given = dict(fields)
    for name in FOREIGN_KEYS:  # an import names them by id ("town_id")
        if name not in given and f"{name}_id" in given:
            key = given[f"{name}_id"]
            model = Project._meta.get_field(name).related_model
            given[name] = model._base_manager.filter(pk=key).first() if key else None  # type: ignore[union-attr]

    def named(name: str) -> bool:
        return name in given and (current is None or given[name] != getattr(current, name))

    checks: list[Callable[[], None]] = []
    for name, label in (("town", "乡镇"), ("lead_unit", "牵头单位")):
        if current is None and given.get(name) is None:
            raise ValidationError({name: f"{label}：必须选择"})
    for name, label, kind in (
        ("town", "乡镇", "town"),
        ("park", "园区", "park"),
        ("lead_unit", "牵头单位", None),
    ):
        if named(name):
            checks.append(partial(references.check_unit, by, given[name], field=name, label=label, kind=kind))
    if named("responsible_leader"):
        leader = given["responsible_leader"]
        checks.append(
            partial(references.check_leader, by, leader, field="responsible_leader", label="包抓领导")
        )
    if named("enterprise"):
        firm = given["enterprise"]
        checks.append(
            partial(enterprise_selectors.check_enterprise, by, firm, field="enterprise", label="落地企业")
        )
    # A task force is made of staff of the project's own county, even for someone who writes in several.
    town = given["town"] if given.get("town") is not None else getattr(current, "town", None)
    for name, label, check in (
        ("member_units", "责任单位", references.check_units),
        ("task_force", "工作专班", partial(references.check_people, within=town)),
    ):
        before = set(getattr(current, name).all()) if current is not None and name in fields else set()
        if added := set(fields.get(name) or ()) - before:
            checks.append(partial(check, by, added, field=name, label=label))
    problems: dict[str, list[str]] = {}
    for run in checks:  # every reference refused at once, each under its field
        try:
            run()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)


def _label(name: str) -> object:
    """A field's Chinese name for a message (the name itself when the model has no such field)."""
    try:
        return Project._meta.get_field(name).verbose_name  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name


NOT_NEGATIVE = (
    "planned_investment",
    "contract_amount",
    "land_needed_mu",
    "land_area_mu",
    "promised_output",
    "promised_tax",
    "registered_capital",
    "energy_tce",
    "floor_area_ratio",
)


def check_plausible(fields: dict[str, Any], current: Project | None = None) -> None:
    """Amounts not negative, a real GB/T 4754 industry code, production not planned before the start."""
    found: dict[str, str] = {}
    for name in NOT_NEGATIVE:
        value = fields.get(name)
        if value is not None and value < 0:
            found[name] = f"{_label(name)}：不能为负数"
    code = fields.get("industry_code")
    if code:
        try:
            fields["industry_code"] = industries.validate(code).code
        except ValueError as exc:
            found["industry_code"] = f"行业代码：{exc}"
    start = fields.get("promised_start", current.promised_start if current else None)
    production = fields.get("promised_production", current.promised_production if current else None)
    if start and production and production < start:
        found["promised_production"] = f"约定投产日期：不能早于约定开工日期 {start:%Y-%m-%d}"
    if found:
        raise ValidationError(found)


def project_create(by: Principal, **fields: Any) -> Project:
    require(by, Action.EDIT_BUSINESS)
    check_plausible(fields)
    since = fields.pop("stage_since", None) or timezone.localdate()
    check_references(by, fields)
    related = {name: fields.pop(name) for name in RELATIONS if name in fields}
    project = Project(**fields, stage=Stage.LEAD.value, stage_since=since)
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
            versioning.bump(project)


# Stage, its dates and the amounts moves supply change only through `project_move`.
EDITABLE = frozenset(
    {
        "name",
        "investor_name",
        "investor_origin",
        "investor_rank",
        "project_type",
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
        "in_standard_building",
        "floor_area_ratio",
        "energy_tce",
        "town",
        "park",
        "lead_unit",
        "responsible_leader",
        "enterprise",
    }
)


def project_update(by: Principal, project: Project, version: int | None = None, **fields: Any) -> Project:
    """Edit what describes the project; `version` is the one the editor read (stale: `StaleEdit`)."""
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    if stray := set(fields) - EDITABLE - set(RELATIONS):
        names = "、".join(sorted(str(_label(name)) for name in stray))
        raise ValidationError({"__all__": f"不能在此修改：{names}（阶段和签约数据通过阶段变更修改）"})
    check_plausible(fields, current=project)
    check_references(by, fields, current=project)
    related = {name: fields.pop(name) for name in RELATIONS if name in fields}
    with versioning.editing(project, version):
        audited_update(project, fields, reason="修改项目信息")
        _set_relations(project, related)
    return project
