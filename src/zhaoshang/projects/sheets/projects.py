"""招商项目 as a spreadsheet: new rows register leads, numbered rows correct descriptive fields."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from zhaoshang.core import industries
from zhaoshang.core.imports import Plan, Progress, RowChange
from zhaoshang.core.permissions import require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_update
from zhaoshang.core.sheets import CellError, Column, ParsedRows, Sheet, iter_chunks
from zhaoshang.core.validators import storable_text_problem
from zhaoshang.org import references
from zhaoshang.org.models import Unit
from zhaoshang.projects import services
from zhaoshang.projects.engines.lifecycle import STAGE_LABELS, Stage
from zhaoshang.projects.filters import projects_matching
from zhaoshang.projects.models import CHANNELS, PROJECT_TYPES, RANKS, Project
from zhaoshang.projects.sheets.common import CHUNK, leaders, plain, units_of, writable_projects

FOREIGN_KEYS = ("town", "park", "lead_unit", "responsible_leader")
# Shown in the export for checking only; an import reads past them.
INFORMATIVE = frozenset({"id", "stage"})


def _industry(value: str) -> str:
    return industries.validate(value).code


PROJECT_SHEET = Sheet(
    kind="projects",
    title="招商项目",
    key=("id",),
    columns=(
        Column(
            "id",
            "项目编号",
            kind="int",
            minimum=Decimal(1),
            width=10,
            help="导出时带出，用来找到已登记的项目；新项目留空（同名且投资方相同的已登记项目视为同一项目）",
        ),
        Column("name", "项目名称", required=True, width=30),
        Column("investor_name", "投资方", required=True, width=30),
        Column("investor_origin", "投资方来源地", max_length=60),
        Column("investor_rank", "投资方类别", kind="choice", choices=RANKS[1:], width=16),
        Column("project_type", "项目类型", kind="choice", choices=PROJECT_TYPES, width=12),
        Column("channel", "招商方式", kind="choice", required=True, choices=CHANNELS),
        Column("referrer", "引荐人或单位", max_length=100),
        Column("industry_code", "行业代码", validate=_industry, help="GB/T 4754-2017，如 3011 或 C3011"),
        Column("planned_investment", "计划投资", kind="decimal", unit="万元"),
        Column(
            "contract_amount",
            "合同金额",
            kind="decimal",
            unit="万元",
            help="签约时随阶段变更登记；已签约的项目不能通过导入修改",
        ),
        Column("land_needed_mu", "拟用地", kind="decimal", unit="亩"),
        Column(
            "in_standard_building",
            "入驻标准厂房",
            kind="bool",
            width=12,
            help="填“是”表示项目租用或购买标准厂房、不另行供地，预审不按 20 亩底线否决",
        ),
        Column("promised_output", "承诺年产值", kind="decimal", unit="万元"),
        Column("promised_tax", "承诺年税收", kind="decimal", unit="万元"),
        Column("registered_capital", "注册资本", kind="decimal", unit="万元"),
        Column("promised_start", "约定开工日期", kind="date"),
        Column("promised_production", "约定投产日期", kind="date"),
        Column("town", "乡镇", kind="choice", required=True),
        Column("park", "园区", kind="choice", width=18),
        Column("lead_unit", "牵头单位", kind="choice", required=True, width=18),
        Column("responsible_leader", "包抓领导", kind="choice"),
        Column(
            "stage",
            "阶段",
            max_length=20,
            help="仅供核对：导入不改变阶段，阶段只能在项目页面按流程变更（附证明材料）",
        ),
    ),
    description=(
        "每行一个项目。有项目编号的行修改该项目的基本信息，没有项目编号的行登记为新的项目线索。"
        "导入不改变项目阶段：阶段只能在项目页面按流程逐步变更。已有项目的空白单元格表示不修改。"
    ),
)


# ---------------------------------------------------------------- checks shared by new and changed rows


def _model_value(key: str, value: Any) -> tuple[str, Any]:
    if key in FOREIGN_KEYS:
        return f"{key}_id", int(value) if value else None
    return key, value


def _problems(project: Project, sheet: Sheet) -> list[tuple[str, str]]:
    """What the model itself refuses, as (column header, reason); foreign keys were checked as choices."""
    found = []
    try:
        project.full_clean(
            exclude=[*FOREIGN_KEYS, "enterprise"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        headers = {c.key: c.header for c in sheet.columns}
        for name, errors in exc.message_dict.items():
            found += [(headers.get(name, name), message) for message in errors]
    for column in sheet.columns:
        value = getattr(project, column.key, None)
        if column.kind == "text" and isinstance(value, str) and (problem := storable_text_problem(value)):
            found.append((column.header, problem))
    start, production = project.promised_start, project.promised_production
    if start and production and production < start:
        found.append(("约定投产日期", f"不能早于约定开工日期 {start:%Y-%m-%d}"))
    return found


REFERENCE_REFUSALS = {
    "lead_unit": ("牵头单位", references.OUT_OF_SCOPE),
    "responsible_leader": ("包抓领导", "只能选择您所在区域的县级领导"),
}


def _unnameable(row: int, values: Mapping[str, Any], nameable: dict[str, set[str]]) -> list[CellError]:
    """A lead unit or leader the row names (new, or changed) that this person may not name."""
    return [
        CellError(row, header, message)
        for key, (header, message) in REFERENCE_REFUSALS.items()
        if values.get(key) and str(values[key]) not in nameable[key]
    ]


class ProjectImporter:
    kind = "projects"
    label = "招商项目"
    sheet = PROJECT_SHEET

    def sheet_for(self, by: Principal, writable: bool = True) -> Sheet:
        """Towns and parks one may register projects in (import), or may see (export)."""
        scope = by.acting_for(Action.EDIT_BUSINESS) if writable else by
        allowed = {
            "town": units_of("town", Unit.objects.visible_to(scope)),
            "park": units_of("park", Unit.objects.visible_to(scope)),
            # Every unit is named as people know it, so an exported project imports again unchanged;
            # a new or changed lead unit or leader must be one the person may name (see `plan`).
            "lead_unit": units_of(None, None),
            "responsible_leader": leaders(scope),
        }
        columns = tuple(
            dataclasses.replace(c, choices=allowed[c.key]) if c.key in allowed else c
            for c in self.sheet.columns
        )
        return dataclasses.replace(self.sheet, columns=columns)

    def plan(self, parsed: ParsedRows, by: Principal, progress: Progress | None) -> Plan:
        require(by, Action.EDIT_BUSINESS)
        plan = Plan(self.kind, parsed)
        sheet = self.sheet
        ids = sorted({v["id"] for _r, v in parsed.rows if v.get("id")})
        existing: dict[int, Project] = {}
        for chunk in iter_chunks(ids, CHUNK):
            existing.update((p.pk, p) for p in writable_projects(by).filter(pk__in=chunk))
        # Rows without a number are matched on name and investor, so importing the same file twice
        # registers nothing twice.
        # Names are compared as a cell reads them (full-width brackets and commas made plain).
        by_name: dict[tuple[str, str], list[int]] = {}
        if any(not v.get("id") for _r, v in parsed.rows):
            for pk, name, investor in writable_projects(by).values_list("pk", "name", "investor_name"):
                by_name.setdefault((plain(name), plain(investor)), []).append(pk)
        matched = sorted({pks[0] for pks in by_name.values() if len(pks) == 1})
        for chunk in iter_chunks(matched, CHUNK):
            existing.update((p.pk, p) for p in writable_projects(by).filter(pk__in=chunk))
        nameable = {
            "lead_unit": {str(pk) for pk in references.writable_units(by).values_list("pk", flat=True)},
            "responsible_leader": {
                str(pk) for pk in references.nameable_leaders(by).values_list("pk", flat=True)
            },
        }
        seen_ids: dict[int, int] = {}
        seen_names: dict[tuple[str, str], int] = {}
        targeted: dict[int, int] = {}
        today = timezone.localdate()
        for done, (row, values) in enumerate(parsed.rows, start=1):
            if progress and done % 500 == 0:
                progress(done, len(parsed.rows), "正在核对")
            number = values.get("id")
            current: Project | None = None
            if number:
                if number in seen_ids:
                    plan.errors.append(CellError(row, "项目编号", f"与第 {seen_ids[number]} 行重复"))
                    continue
                seen_ids[number] = row
                current = existing.get(number)
                if current is None:
                    plan.errors.append(
                        CellError(row, "项目编号", f"没有编号为 {number} 的项目，或该项目不在您的职责范围内")
                    )
                    continue
            else:
                key = (values["name"], values["investor_name"])
                if key in seen_names:
                    plan.errors.append(
                        CellError(row, "项目名称", f"与第 {seen_names[key]} 行的项目名称和投资方相同")
                    )
                    continue
                seen_names[key] = row
                matches = by_name.get(key, [])
                if len(matches) > 1:
                    numbers = "、".join(str(pk) for pk in matches)
                    plan.errors.append(
                        CellError(
                            row,
                            "项目编号",
                            f"已有多个同名且投资方相同的项目（编号 {numbers}），请填写项目编号",
                        )
                    )
                    continue
                current = existing[matches[0]] if matches else None
            if current is None:
                if refused := _unnameable(row, values, nameable):
                    plan.errors += refused
                    continue
                fields = dict(
                    _model_value(k, v) for k, v in values.items() if k not in INFORMATIVE and v is not None
                )
                candidate = Project(**fields, stage=Stage.LEAD.value, stage_since=today)
                problems = _problems(candidate, sheet)
                plan.errors += [CellError(row, header, message) for header, message in problems]
                if not problems:
                    plan.changes.append(RowChange(row, (None,), "new", values))
                continue
            if current.pk in targeted:  # one row by its number, another by its name
                plan.errors.append(
                    CellError(
                        row, "项目编号", f"与第 {targeted[current.pk]} 行是同一个项目（编号 {current.pk}）"
                    )
                )
                continue
            targeted[current.pk] = row
            diff = self._diff(current, values, parsed.present)
            if refused := _unnameable(row, {k: new for k, (_old, new) in diff.items()}, nameable):
                plan.errors += refused
                continue
            if "contract_amount" in diff and current.signed_on is not None:
                plan.errors.append(
                    CellError(row, "合同金额", "项目已签约，合同金额以签约时登记的为准，不能通过导入修改")
                )
                continue
            if diff:
                candidate = copy.copy(current)  # check the change on a copy: the plan alters nothing
                for key, (_old, new) in diff.items():
                    setattr(candidate, *_model_value(key, new))
                problems = _problems(candidate, sheet)
                plan.errors += [CellError(row, header, message) for header, message in problems]
                if problems:
                    continue
            action = "changed" if diff else "unchanged"
            plan.changes.append(RowChange(row, (current.pk,), action, values, diff, current.pk))
        return plan

    @staticmethod
    def _current(p: Project, key: str) -> Any:
        if key in FOREIGN_KEYS:
            value = getattr(p, f"{key}_id")
            return str(value) if value else None
        return getattr(p, key)

    def _diff(
        self, p: Project, values: dict[str, Any], present: frozenset[str]
    ) -> dict[str, tuple[Any, Any]]:
        diff = {}
        for key, new in values.items():
            if key in INFORMATIVE or key not in present or new is None:
                continue  # an empty cell leaves the stored value as it is
            old = self._current(p, key)
            if (plain(old) if isinstance(old, str) else old) != new:
                diff[key] = (old, new)
        return diff

    def apply(self, plan: Plan, by: Principal, progress: Progress | None) -> None:
        changed = [c for c in plan.changes if c.action == "changed"]
        current: dict[int, Project] = {}
        for chunk in iter_chunks([c.target_id for c in changed], CHUNK):
            current.update(Project.objects.in_bulk(chunk))
        total = len(plan.changes)
        for done, change in enumerate(plan.changes, start=1):
            if progress and done % 200 == 0:
                progress(done, total, "正在写入")
            if change.action == "new":
                fields = dict(
                    _model_value(k, v)
                    for k, v in change.values.items()
                    if k not in INFORMATIVE and v is not None
                )
                services.project_create(by, **fields)  # a lead, with its own permission check and audit
            elif change.action == "changed":
                project = current[change.target_id]  # type: ignore[index]
                updates = dict(_model_value(k, new) for k, (_old, new) in change.changes.items())
                audited_update(project, updates, reason=f"导入第 {change.row} 行")

    def export_records(self, by: Principal, filters: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        for p in projects_matching(by, filters).iterator(chunk_size=2000):
            record: dict[str, Any] = {"id": p.pk, "stage": STAGE_LABELS[Stage(p.stage)]}
            for column in self.sheet.columns:
                if column.key not in record:
                    value = self._current(p, column.key)
                    record[column.key] = value if value != "" else None
            yield record
