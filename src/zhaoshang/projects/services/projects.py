"""Registering a project and editing what describes it; stage and signing figures move only with a move."""

from __future__ import annotations

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
from zhaoshang.projects.engines.lifecycle import Stage
from zhaoshang.projects.models import Project

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
