"""目标企业（招商清单）as a spreadsheet: one row a company a chain wants, found by chain and name.

A new row may register a company in any contact state but 已转为项目 (that is the conversion, with its
project). An import never moves an existing target from one state to another: the moves go through
the target's page, step by step, so the state, its date and the reason for dropping are left alone.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import F
from django.utils import timezone

from zhaoshang.chains.models import MODES, STRENGTHS, TARGET_STATUSES, TargetCompany
from zhaoshang.chains.services.targets import _tell_leader
from zhaoshang.chains.sheets.common import (
    Chains,
    Leaders,
    Nodes,
    changed,
    event,
    node_label,
    plain,
    target_of,
    unit_problem,
    units_named,
    writable_unit_ids,
)
from zhaoshang.core import audit
from zhaoshang.core.imports import Plan, Progress, RowChange
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import CellError, Column, ParsedRows, Sheet
from zhaoshang.projects.sheets.common import units_of

STATUS_LABELS = dict(TARGET_STATUSES)
DESCRIPTIVE = ("location", "strength", "mode", "fit")
FOREIGN_KEYS = ("node", "team", "leader")
# What a move records: never changed by an import (see the module's docstring).
MOVED = {"status": "对接状态", "status_since": "进入本状态日期", "drop_reason": "放弃原因"}

TARGET_SHEET = Sheet(
    kind="chain-targets",
    title="目标企业",
    key=("chain", "name"),
    columns=(
        Column("chain", "产业链", required=True, max_length=130, width=16, help="产业链名称"),
        Column("node", "环节", required=True, max_length=80, width=16, help="该产业链的环节名称"),
        Column("name", "企业名称", required=True, width=30),
        Column("location", "所在地", max_length=60, width=12),
        Column("strength", "企业类别", kind="choice", choices=STRENGTHS, width=14),
        Column("mode", "招商模式", kind="choice", choices=MODES, width=12),
        Column("fit", "契合理由", max_length=300, width=30),
        Column("team", "责任招商组", kind="choice", width=18),
        Column("leader", "联系县领导", max_length=80, help="本县县级领导的名称或用户名"),
        Column(
            "status",
            "对接状态",
            kind="choice",
            choices=TARGET_STATUSES,
            help="新登记的目标企业留空为未接触；已登记的目标企业只能在系统中按流程变更状态",
        ),
        Column("status_since", "进入本状态日期", kind="date", help="新登记时留空为今天"),
        Column("drop_reason", "放弃原因", max_length=300, width=24, help="状态为已放弃时必填"),
    ),
    description=(
        "每行一家目标企业，按产业链和企业名称匹配：已有的修改基本信息，没有的新增。"
        "导入不改变已登记目标企业的对接状态：状态只能在目标企业页面按流程逐步变更。已有目标企业的空白单元格表示不修改。"
    ),
)


class TargetImporter:
    kind = "chain-targets"
    label = "目标企业"
    sheet = TARGET_SHEET

    def sheet_for(self, by: Principal, writable: bool = True) -> Sheet:
        units = units_of(None, None)
        columns = tuple(
            dataclasses.replace(c, choices=units) if c.key == "team" else c for c in self.sheet.columns
        )
        return dataclasses.replace(self.sheet, columns=columns)

    def plan(self, parsed: ParsedRows, by: Principal, progress: Progress | None) -> Plan:
        require(by, Action.EDIT_BUSINESS)
        plan = Plan(self.kind, parsed)
        chains = Chains(by)
        found = {row: chains.find(values["chain"]) for row, values in parsed.rows}
        chain_ids = sorted({c.pk for c, _why in found.values() if c is not None})
        nodes = Nodes(chain_ids)
        existing: dict[tuple[int, str], list[TargetCompany]] = defaultdict(list)
        for t in TargetCompany.objects.filter(chain_id__in=chain_ids).order_by("pk"):
            existing[(t.chain_id, plain(t.name))].append(t)
        leaders = Leaders(t.leader_id for ts in existing.values() for t in ts)
        units = units_named(v.get("team") for _r, v in parsed.rows)
        writable = writable_unit_ids(by)
        today = timezone.localdate()
        targeted: dict[int, int] = {}
        new_keys: dict[tuple[int, str], int] = {}
        for done, (row, values) in enumerate(parsed.rows, start=1):
            if progress and done % 500 == 0:
                progress(done, len(parsed.rows), "正在核对")
            chain, why = found[row]
            if chain is None:
                plan.errors.append(CellError(row, "产业链", why))
                continue
            node, why = nodes.find(chain, values["node"])
            if node is None:
                plan.errors.append(CellError(row, "环节", why))
                continue
            matches = existing.get((chain.pk, values["name"]), [])
            if len(matches) > 1:
                matches = [t for t in matches if t.node_id == node.pk]
            if len(matches) > 1:
                plan.errors.append(
                    CellError(
                        row,
                        "企业名称",
                        f"本产业链该环节有多个名为“{values['name']}”的目标企业，请在系统中处理",
                    )
                )
                continue
            current = matches[0] if matches else None
            key = (chain.pk, values["name"])
            if current is not None and current.pk in targeted:
                plan.errors.append(
                    CellError(row, "企业名称", f"与第 {targeted[current.pk]} 行是同一家目标企业")
                )
                continue
            if current is None and key in new_keys:
                plan.errors.append(CellError(row, "企业名称", f"与第 {new_keys[key]} 行重复"))
                continue
            if current is not None:
                targeted[current.pk] = row
            else:
                new_keys[key] = row
            problems: list[tuple[str, str]] = []
            diff: dict[str, tuple[Any, Any]] = {}
            fields: dict[str, Any] = {k: values.get(k) for k in DESCRIPTIVE}
            fields["node"] = node.pk
            fields["team"] = int(values["team"]) if values.get("team") else None
            fields["leader"] = None
            if values.get("leader"):
                leader, why = leaders.find(
                    values["leader"], chain.county, current.leader_id if current else None
                )
                if leader is None:
                    problems.append(("联系县领导", why))
                else:
                    fields["leader"] = leader.pk
            if current is None:
                problems += self._new_problems(values, today)
                fields |= {
                    "chain": chain.pk,
                    "name": values["name"],
                    "status": values.get("status") or "not_contacted",
                    "status_since": values.get("status_since") or today,
                    "drop_reason": values.get("drop_reason") or "",
                }
                action = "new"
            else:
                problems += self._moved(current, values)
                for name, new in fields.items():
                    old = getattr(current, f"{name}_id") if name in FOREIGN_KEYS else getattr(current, name)
                    if name in parsed.present and changed(old, new):
                        diff[name] = (old, new)
                action = "changed" if diff else "unchanged"
            team_named = fields["team"] and (current is None or "team" in diff)
            if team_named and (why := unit_problem(by, units[str(fields["team"])], chain.county, writable)):
                problems.append(("责任招商组", why))
            if problems:
                plan.errors += [CellError(row, header, message) for header, message in problems]
                continue
            plan.changes.append(RowChange(row, key, action, fields, diff, current.pk if current else None))
        return plan

    @staticmethod
    def _new_problems(values: dict[str, Any], today: Any) -> list[tuple[str, str]]:
        status, reason = values.get("status") or "not_contacted", values.get("drop_reason")
        found = []
        if status == "converted":
            found.append(("对接状态", "“已转为项目”只能在目标企业页面转为项目时登记，不能通过导入登记"))
        if values.get("status_since") and values["status_since"] > today:
            found.append(("进入本状态日期", "不能晚于今天"))
        if status == "dropped" and not reason:
            found.append(("放弃原因", "状态为“已放弃”时须写明放弃原因"))
        if status != "dropped" and reason:
            found.append(("放弃原因", "只有“已放弃”的目标企业填写放弃原因"))
        return found

    @staticmethod
    def _moved(current: TargetCompany, values: dict[str, Any]) -> list[tuple[str, str]]:
        """An existing target's state, its date and its drop reason stay as its moves recorded them."""
        found = []
        status = values.get("status")
        if status and status != current.status:
            found.append(
                (
                    "对接状态",
                    f"已登记的目标企业不能通过导入变更对接状态（现为“{STATUS_LABELS[current.status]}”，"
                    f"表中为“{STATUS_LABELS[status]}”），请在目标企业页面按流程逐步变更",
                )
            )
        since = values.get("status_since")
        if since and since != current.status_since:
            found.append(
                (
                    "进入本状态日期",
                    f"随对接状态变更登记（现为 {current.status_since:%Y-%m-%d}），不能通过导入修改",
                )
            )
        reason = values.get("drop_reason")
        if reason and reason != plain(current.drop_reason):
            found.append(("放弃原因", "随放弃登记，不能通过导入修改"))
        return found

    def apply(self, plan: Plan, by: Principal, progress: Progress | None) -> None:
        events: list[dict[str, Any]] = []
        told: list[TargetCompany] = []
        current = TargetCompany.objects.in_bulk([c.target_id for c in plan.changes if c.action == "changed"])
        for done, change in enumerate(plan.changes, start=1):
            if progress and done % 200 == 0:
                progress(done, len(plan.changes), "正在写入")
            v = change.values
            if change.action == "new":
                target = TargetCompany(
                    chain_id=v["chain"],
                    node_id=v["node"],
                    team_id=v["team"],
                    leader_id=v["leader"],
                    name=v["name"],
                    location=v["location"] or "",
                    strength=v["strength"] or "other",
                    mode=v["mode"] or "supporting",
                    fit=v["fit"] or "",
                    status=v["status"],
                    status_since=v["status_since"],
                    drop_reason=v["drop_reason"],
                )
                target.save(force_insert=True)
                events.append(
                    event(change, AuditEvent.Action.CREATE, target_of(target), after=audit.snapshot(target))
                )
                if target.leader_id:
                    told.append(target)
            elif change.action == "changed":
                target = current[change.target_id]
                for key, (_old, new) in change.changes.items():
                    setattr(target, f"{key}_id" if key in FOREIGN_KEYS else key, new)
                target.save(update_fields=list(change.changes))
                TargetCompany.objects.filter(pk=target.pk).update(version=F("version") + 1)
                before = {k: old for k, (old, _new) in change.changes.items()}
                after = {k: new for k, (_old, new) in change.changes.items()}
                events.append(
                    event(change, AuditEvent.Action.UPDATE, target_of(target), after=after, before=before)
                )
                if "leader" in change.changes and target.leader_id:
                    told.append(target)
        audit.record_many(events)
        for target in told:  # the leader named hears of it, as when the target is entered on its page
            _tell_leader(target)

    def export_records(self, by: Principal, filters: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        chains = Chains(by)
        shown = {c.pk: c for c in chains.all if c.pk in chains.visible}
        nodes = Nodes(shown)
        labels = {n.pk: node_label(n, ns) for ns in nodes.of.values() for n in ns}
        rows = list(
            TargetCompany.objects.visible_to(by)
            .filter(chain_id__in=sorted(shown))
            .select_related("leader")
            .order_by("chain__sort_order", "chain_id", "node_id", "name", "pk")
        )
        leaders = Leaders(t.leader_id for t in rows)
        for t in rows:
            yield {
                "chain": chains.label(shown[t.chain_id]),
                "node": labels[t.node_id],
                "name": t.name,
                "location": t.location or None,
                "strength": t.strength,
                "mode": t.mode,
                "fit": t.fit or None,
                "team": str(t.team_id) if t.team_id else None,
                "leader": leaders.label(t.leader),
                "status": t.status,
                "status_since": t.status_since,
                "drop_reason": t.drop_reason or None,
            }
