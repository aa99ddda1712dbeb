"""项目跟进记录 as a spreadsheet: one row a follow-up, found by project number, never imported twice."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from zhaoshang.core.imports import Plan, Progress, RowChange
from zhaoshang.core.permissions import require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import CellError, Column, ParsedRows, Sheet, iter_chunks
from zhaoshang.core.validators import storable_text_problem
from zhaoshang.projects import services
from zhaoshang.projects.filters import projects_matching
from zhaoshang.projects.models import FollowUp, Project
from zhaoshang.projects.sheets.common import CHUNK, plain, writable_projects

FOLLOW_UP_SHEET = Sheet(
    kind="follow_ups",
    title="跟进记录",
    key=("project", "on", "what"),
    columns=(
        Column("project", "项目编号", kind="int", required=True, minimum=Decimal(1), width=10),
        Column("project_name", "项目名称", width=30, help="仅供核对，以项目编号为准"),
        Column("on", "日期", kind="date", required=True),
        Column("what", "跟进情况", required=True, max_length=2000, width=40),
        Column("next_step", "下一步", max_length=300, width=30),
        Column("next_date", "下一步日期", kind="date"),
    ),
    description="每行一次跟进，按项目编号找到项目（见招商项目导出）。同一项目、同一日期、相同跟进情况的行视为已登记，不重复导入。",
)


class FollowUpImporter:
    kind = "follow_ups"
    label = "项目跟进记录"
    sheet = FOLLOW_UP_SHEET

    def sheet_for(self, by: Principal, writable: bool = True) -> Sheet:
        return self.sheet

    def plan(self, parsed: ParsedRows, by: Principal, progress: Progress | None) -> Plan:
        require(by, Action.EDIT_BUSINESS)
        plan = Plan(self.kind, parsed)
        ids = sorted({v["project"] for _r, v in parsed.rows})
        projects: dict[int, str] = {}
        for chunk in iter_chunks(ids, CHUNK):
            projects.update(writable_projects(by).filter(pk__in=chunk).values_list("pk", "name"))
        recorded: set[tuple[int, Any, str]] = set()
        for chunk in iter_chunks(sorted(projects), CHUNK):
            recorded |= set(
                (project, on, plain(what))
                for project, on, what in FollowUp.objects.filter(project_id__in=chunk).values_list(
                    "project_id", "on", "what"
                )
            )
        seen: dict[tuple[int, Any, str], int] = {}
        for done, (row, values) in enumerate(parsed.rows, start=1):
            if progress and done % 500 == 0:
                progress(done, len(parsed.rows), "正在核对")
            number, what = values["project"], values["what"].strip()
            if number not in projects:
                plan.errors.append(
                    CellError(row, "项目编号", f"没有编号为 {number} 的项目，或该项目不在您的职责范围内")
                )
                continue
            if (name := values.get("project_name")) and name != projects[number]:
                plan.warnings.append(
                    f"第 {row} 行：项目名称“{name}”与编号 {number} 的项目“{projects[number]}”不同（以编号为准）"
                )
            if values.get("next_date") and values["next_date"] < values["on"]:
                plan.errors.append(CellError(row, "下一步日期", "不能早于本次跟进日期"))
                continue
            bad = [
                (header, problem)
                for key, header in (("what", "跟进情况"), ("next_step", "下一步"))
                if values.get(key) and (problem := storable_text_problem(values[key]))
            ]
            if bad:
                plan.errors += [CellError(row, header, problem) for header, problem in bad]
                continue
            key = (number, values["on"], what)
            if key in seen and key not in recorded:  # an export may repeat a follow-up recorded twice
                plan.errors.append(CellError(row, "跟进情况", f"与第 {seen[key]} 行重复"))
                continue
            seen[key] = row
            action = "unchanged" if key in recorded else "new"
            plan.changes.append(RowChange(row, key, action, values, target_id=number))
        return plan

    def apply(self, plan: Plan, by: Principal, progress: Progress | None) -> None:
        new = [c for c in plan.changes if c.action == "new"]
        projects: dict[int, Project] = {}
        for chunk in iter_chunks(sorted({c.target_id for c in new}), CHUNK):  # type: ignore[type-var]
            projects.update(Project.objects.in_bulk(chunk))
        for done, change in enumerate(new, start=1):
            if progress and done % 200 == 0:
                progress(done, len(new), "正在写入")
            v = change.values
            services.follow_up_add(
                by,
                projects[change.target_id],  # type: ignore[index]
                on=v["on"],
                what=v["what"],
                next_step=v.get("next_step") or "",
                next_date=v.get("next_date"),
            )

    def export_records(self, by: Principal, filters: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        shown = projects_matching(by, filters).order_by().values("pk")
        rows = (
            FollowUp.objects.visible_to(by)
            .filter(project__in=shown)
            .select_related("project")
            .order_by("project__name", "project_id", "on", "created_at")
        )
        for f in rows.iterator(chunk_size=2000):
            yield {
                "project": f.project_id,
                "project_name": f.project.name,
                "on": f.on,
                "what": f.what,
                "next_step": f.next_step or None,
                "next_date": f.next_date,
            }
