"""产业链 as a spreadsheet: one row a chain, found by its name in the county of its lead unit."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import F

from zhaoshang.chains import services
from zhaoshang.chains.models import Chain, Cluster
from zhaoshang.chains.sheets.common import (
    NOT_WRITER,
    Chains,
    Leaders,
    as_json,
    changed,
    event,
    plain,
    target_of,
    unit_problem,
    units_named,
    writable_unit_ids,
)
from zhaoshang.core import audit
from zhaoshang.core.imports import Plan, Progress, RowChange
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM, require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import CellError, Column, ParsedRows, Sheet
from zhaoshang.org.models import Unit
from zhaoshang.projects.sheets.common import units_of

NUMBERS = ("output_target", "min_investment", "min_intensity", "min_tax_per_mu", "max_energy_per_output")
FOREIGN_KEYS = ("cluster", "chief", "lead_unit")


def _stale_days(value: int) -> int:
    if not 1 <= value <= 3650:
        raise ValueError("应在 1 至 3650 天之间")
    return value


def _energy(value: Decimal) -> Decimal:
    if value >= Decimal(10) ** 8:
        raise ValueError("数值过大，请检查单位（应为吨标准煤/万元）")
    return value


CHAIN_SHEET = Sheet(
    kind="chains",
    title="产业链",
    key=("county", "name"),
    columns=(
        Column("name", "产业链名称", required=True, max_length=60, width=16),
        Column("cluster", "产业集群", max_length=60, width=20, help="本县已设立的产业集群名称"),
        Column("chief", "链长", required=True, max_length=80, help="本县县级领导的名称或用户名"),
        Column(
            "lead_unit",
            "牵头单位",
            kind="choice",
            required=True,
            width=20,
            help="产业链属于牵头单位所在的县",
        ),
        Column("member_units", "责任单位", kind="choice", many=True, width=30),
        Column("output_target", "年度产值目标", kind="decimal", unit="万元"),
        Column("min_investment", "准入：计划投资不低于", kind="decimal", unit="万元", width=18),
        Column("min_intensity", "准入：投资强度不低于", kind="decimal", unit="万元/亩", width=18),
        Column("min_tax_per_mu", "准入：亩均税收不低于", kind="decimal", unit="万元/亩", width=18),
        Column(
            "max_energy_per_output",
            "准入：单位产值能耗不高于",
            kind="decimal",
            unit="吨标准煤/万元",
            width=20,
            validate=_energy,
        ),
        Column(
            "target_stale_days",
            "目标企业停滞提醒",
            kind="int",
            unit="天",
            minimum=Decimal(1),
            validate=_stale_days,
            help="目标企业在同一对接状态停留超过这些天，列为逾期；新设产业链留空为 60 天",
        ),
    ),
    description=(
        "每行一条产业链，按产业链名称在牵头单位所在县内匹配：已有的修改，没有的新设（须县统筹协调人员导入）。"
        "已有产业链的空白单元格表示不修改。"
    ),
)


def _coordinator(by: Principal) -> bool:
    return by is SYSTEM or (by.can(Action.CONFIGURE_RULES) and not by.read_only)


class ChainImporter:
    kind = "chains"
    label = "产业链"
    sheet = CHAIN_SHEET

    def sheet_for(self, by: Principal, writable: bool = True) -> Sheet:
        """Every unit named as people know it, so an export imports again; a new or changed unit must be
        one this person may name, in the chain's county (checked in `plan`)."""
        units = units_of(None, None)
        columns = tuple(
            dataclasses.replace(c, choices=units) if c.key in ("lead_unit", "member_units") else c
            for c in self.sheet.columns
        )
        return dataclasses.replace(self.sheet, columns=columns)

    def plan(self, parsed: ParsedRows, by: Principal, progress: Progress | None) -> Plan:
        require(by, Action.EDIT_BUSINESS)
        plan = Plan(self.kind, parsed)
        chains = Chains(by)
        leaders = Leaders(c.chief_id for c in chains.all)
        units = units_named(
            [v["lead_unit"] for _r, v in parsed.rows]
            + [u for _r, v in parsed.rows for u in v.get("member_units") or []]
        )
        counties = {
            u.path: u for u in Unit.objects.filter(path__in={u.jurisdiction_path for u in units.values()})
        }
        clusters = {(c.county_id, plain(c.name)): c for c in Cluster.objects.all()}
        members: dict[int, list[str]] = defaultdict(list)
        for chain_id, unit_id in Chain.member_units.through.objects.values_list("chain_id", "unit_id"):
            members[chain_id].append(str(unit_id))
        writable = writable_unit_ids(by)
        seen: dict[tuple[int, str], int] = {}
        for done, (row, values) in enumerate(parsed.rows, start=1):
            if progress and done % 500 == 0:
                progress(done, len(parsed.rows), "正在核对")
            lead = units[values["lead_unit"]]
            county = counties[lead.jurisdiction_path]
            name = values["name"]
            named = chains.by_name.get(name, [])
            found = [c for c in named if c.pk in chains.visible]
            if len(found) > 1:
                found = [c for c in found if c.county_id == county.pk]
            current = found[0] if len(found) == 1 else None
            if current is None and any(c.county_id == county.pk for c in named):
                plan.errors.append(
                    CellError(row, "产业链名称", f"产业链“{name}”属于其他县，不在您的职责范围内，不能导入")
                )
                continue
            home = current.county if current else county
            key = (home.pk, name)
            if key in seen:
                plan.errors.append(CellError(row, "产业链名称", f"与第 {seen[key]} 行是同一条产业链"))
                continue
            seen[key] = row
            problems: list[tuple[str, str]] = []
            fields: dict[str, Any] = {k: values.get(k) for k in (*NUMBERS, "target_stale_days")}
            fields["lead_unit"] = lead.pk
            fields["member_units"] = [int(u) for u in values.get("member_units") or []]
            chief, why = leaders.find(values["chief"], home, current.chief_id if current else None)
            if why:
                problems.append(("链长", why))
            fields["chief"] = chief.pk if chief else None
            fields["cluster"] = None
            if values.get("cluster"):
                cluster = clusters.get((home.pk, values["cluster"]))
                if cluster is None:
                    problems.append(("产业集群", f"{home.name}没有名为“{values['cluster']}”的产业集群"))
                else:
                    fields["cluster"] = cluster.pk
            if current is None:
                problems += self._new_problems(by, lead, home, fields["member_units"], units, writable)
                if not problems:
                    fields |= {"name": name, "county": home.pk}
                    plan.changes.append(RowChange(row, key, "new", fields))
            else:
                diff = self._diff(current, fields, members[current.pk], parsed.present)
                if not chains.writable(current):
                    problems.append(("产业链名称", NOT_WRITER))
                elif diff and not _coordinator(by):
                    problems.append(("产业链名称", "只有县统筹协调人员可以修改产业链的设置"))
                named_units = [("牵头单位", lead.pk)] if "lead_unit" in diff else []
                if "member_units" in diff:
                    old_members, new_members = diff["member_units"]
                    named_units += [("责任单位", pk) for pk in sorted(set(new_members) - set(old_members))]
                problems += self._unit_problems(by, named_units, home, units, writable)
                if not problems:
                    action = "changed" if diff else "unchanged"
                    plan.changes.append(RowChange(row, key, action, fields, diff, current.pk))
            plan.errors += [CellError(row, header, message) for header, message in problems]
        return plan

    @staticmethod
    def _unit_problems(
        by: Principal,
        named: list[tuple[str, int]],
        county: Unit,
        units: Mapping[str, Unit],
        writable: set[int],
    ) -> list[tuple[str, str]]:
        """(header, reason) for each unit newly named that this person may not name on the chain."""
        return [
            (header, why)
            for header, pk in named
            if (why := unit_problem(by, units[str(pk)], county, writable))
        ]

    def _new_problems(
        self,
        by: Principal,
        lead: Unit,
        county: Unit,
        members: list[int],
        units: Mapping[str, Unit],
        writable: set[int],
    ) -> list[tuple[str, str]]:
        if not _coordinator(by) or not services.may_write(by, Chain(county=county, lead_unit=lead)):
            return [("产业链名称", "只有本县统筹协调人员可以设立产业链")]
        named = [("牵头单位", lead.pk)] + [("责任单位", pk) for pk in members]
        return self._unit_problems(by, named, county, units, writable)

    @staticmethod
    def _diff(
        chain: Chain, fields: dict[str, Any], members: list[str], present: frozenset[str]
    ) -> dict[str, tuple[Any, Any]]:
        diff: dict[str, tuple[Any, Any]] = {}
        for key, new in fields.items():
            if key not in present:
                continue
            if key == "member_units":
                old_members = sorted(int(m) for m in members)
                if new and sorted(new) != old_members:
                    diff[key] = (old_members, sorted(new))
                continue
            old = getattr(chain, f"{key}_id") if key in FOREIGN_KEYS else getattr(chain, key)
            if changed(old, new):
                diff[key] = (old, new)
        return diff

    def apply(self, plan: Plan, by: Principal, progress: Progress | None) -> None:
        events: list[dict[str, Any]] = []
        current = Chain.objects.in_bulk([c.target_id for c in plan.changes if c.action == "changed"])
        names = dict(Unit.objects.values_list("pk", "name"))
        for done, change in enumerate(plan.changes, start=1):
            if progress and done % 200 == 0:
                progress(done, len(plan.changes), "正在写入")
            v = change.values
            if change.action == "new":
                chain = Chain(
                    county_id=v["county"],
                    name=v["name"],
                    cluster_id=v["cluster"],
                    chief_id=v["chief"],
                    lead_unit_id=v["lead_unit"],
                    target_stale_days=v.get("target_stale_days") or 60,
                    **{k: v.get(k) for k in NUMBERS},
                )
                chain.save(force_insert=True)
                chain.member_units.set(v["member_units"])
                after = audit.snapshot(chain) | {"member_units": sorted(names[u] for u in v["member_units"])}
                events.append(event(change, AuditEvent.Action.CREATE, target_of(chain), after=after))
            elif change.action == "changed":
                chain = current[change.target_id]
                before: dict[str, Any] = {}
                after = {}
                fields = []
                for key, (old, new) in change.changes.items():
                    if key == "member_units":
                        chain.member_units.set(new)
                        before[key] = sorted(names[u] for u in old)
                        after[key] = sorted(names[u] for u in new)
                        continue
                    attr = f"{key}_id" if key in FOREIGN_KEYS else key
                    setattr(chain, attr, new)
                    fields.append(key)
                    before[key], after[key] = as_json(old), as_json(new)
                if fields:
                    chain.save(update_fields=fields)
                Chain.objects.filter(pk=chain.pk).update(version=F("version") + 1)
                events.append(
                    event(change, AuditEvent.Action.UPDATE, target_of(chain), after=after, before=before)
                )
        audit.record_many(events)

    def export_records(self, by: Principal, filters: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        chains = Chains(by)
        leaders = Leaders(c.chief_id for c in chains.all)
        members: dict[int, list[str]] = defaultdict(list)
        for chain_id, unit_id in Chain.member_units.through.objects.values_list("chain_id", "unit_id"):
            members[chain_id].append(str(unit_id))
        for c in sorted(
            (c for c in chains.all if c.pk in chains.visible), key=lambda c: (c.sort_order, c.pk)
        ):
            yield {
                "name": c.name,
                "cluster": c.cluster.name if c.cluster else None,
                "chief": leaders.label(c.chief),
                "lead_unit": str(c.lead_unit_id),
                "member_units": sorted(members[c.pk]),
                **{k: getattr(c, k) for k in (*NUMBERS, "target_stale_days")},
            }
