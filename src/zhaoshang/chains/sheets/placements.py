"""环节企业和项目 as a spreadsheet: one row puts an enterprise (by 统一社会信用代码) or a project (by
项目编号, or its name when that is unique) on a node. A row already placed is left as it is; an
import never takes anything off a node."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from zhaoshang.chains.models import Chain, ChainNode, NodeEnterprise, NodeProject
from zhaoshang.chains.sheets.common import CHUNK, Chains, Nodes, event, node_label, plain
from zhaoshang.core import audit
from zhaoshang.core.imports import Plan, Progress, RowChange
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import CellError, Column, ParsedRows, Sheet, iter_chunks
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.sheets.columns import _uscc
from zhaoshang.projects.models import Project

PLACEMENT_SHEET = Sheet(
    kind="chain-placements",
    title="环节企业和项目",
    key=("chain", "node", "uscc", "project"),
    columns=(
        Column("chain", "产业链", required=True, max_length=130, width=16, help="产业链名称"),
        Column("node", "环节", required=True, max_length=80, width=18, help="该产业链的环节名称"),
        Column("uscc", "统一社会信用代码", validate=_uscc, width=22, help="列入企业时填写；与项目编号二选一"),
        Column("enterprise_name", "企业名称", width=30, help="仅供核对，以统一社会信用代码为准"),
        Column(
            "project",
            "项目编号",
            kind="int",
            minimum=Decimal(1),
            width=10,
            help="列入项目时填写（见招商项目导出）；不填编号时按项目名称查找",
        ),
        Column("project_name", "项目名称", width=30),
    ),
    description=(
        "每行把一家企业（填统一社会信用代码）或一个项目（填项目编号）列入产业链的一个环节。"
        "已列入的行不重复导入；导入不会把企业或项目移出环节。"
    ),
)


class PlacementImporter:
    kind = "chain-placements"
    label = "环节企业和项目"
    sheet = PLACEMENT_SHEET

    def sheet_for(self, by: Principal, writable: bool = True) -> Sheet:
        return self.sheet

    def plan(self, parsed: ParsedRows, by: Principal, progress: Progress | None) -> Plan:
        require(by, Action.EDIT_BUSINESS)
        plan = Plan(self.kind, parsed)
        chains = Chains(by)
        places: list[tuple[int, dict[str, Any], Chain, ChainNode]] = []
        found = {row: chains.find(values["chain"]) for row, values in parsed.rows}
        nodes = Nodes(c.pk for c, _why in found.values() if c is not None)
        for row, values in parsed.rows:
            chain, why = found[row]
            if chain is None:
                plan.errors.append(CellError(row, "产业链", why))
                continue
            node, why = nodes.find(chain, values["node"])
            if node is None:
                plan.errors.append(CellError(row, "环节", why))
                continue
            has_enterprise = bool(values.get("uscc") or values.get("enterprise_name"))
            has_project = bool(values.get("project") or values.get("project_name"))
            if has_enterprise and has_project:
                plan.errors.append(
                    CellError(row, "统一社会信用代码", "一行只能填写一家企业或一个项目，请分行填写")
                )
            elif not values.get("uscc") and not has_project:
                plan.errors.append(
                    CellError(row, "统一社会信用代码", "请填写企业的统一社会信用代码，或项目编号（二选一）")
                )
            else:
                places.append((row, values, chain, node))
        enterprises = self._enterprises([v["uscc"] for _r, v, _c, _n in places if v.get("uscc")])
        projects = self._projects(by, places)
        node_ids = sorted({n.pk for _r, _v, _c, n in places})
        placed: set[tuple[str, int, int]] = set()
        for chunk in iter_chunks(node_ids, CHUNK):
            placed |= {
                ("enterprise", n, e)
                for n, e in NodeEnterprise.objects.filter(node_id__in=chunk).values_list(
                    "node_id", "enterprise_id"
                )
            }
            placed |= {
                ("project", n, p)
                for n, p in NodeProject.objects.filter(node_id__in=chunk).values_list("node_id", "project_id")
            }
        seen: dict[tuple[str, int, int], int] = {}
        for done, (row, values, chain, node) in enumerate(places, start=1):
            if progress and done % 5000 == 0:
                progress(done, len(places), "正在核对")
            county = chain.county
            if values.get("uscc"):
                e = enterprises.get(values["uscc"])
                if e is None or not e["town__path"].startswith(county.path):
                    plan.errors.append(
                        CellError(
                            row,
                            "统一社会信用代码",
                            f"{county.name}没有统一社会信用代码为 {values['uscc']} 的企业，请先导入企业名录",
                        )
                    )
                    continue
                if (name := values.get("enterprise_name")) and name != plain(e["name"]):
                    plan.warnings.append(
                        f"第 {row} 行：企业名称“{name}”与登记的“{e['name']}”不同（以统一社会信用代码为准）"
                    )
                key = ("enterprise", node.pk, e["pk"])
                label = f"{e['name']}（{e['uscc']}）"
            else:
                p, header, why = self._project(values, projects)
                if p is None:
                    plan.errors.append(CellError(row, header, why))
                    continue
                key = ("project", node.pk, p["pk"])
                label = p["name"]
                if key not in placed and not (p["town__path"] or "").startswith(county.path):
                    plan.errors.append(
                        CellError(row, header, f"项目“{p['name']}”不在{county.name}，不能列入该县的产业链")
                    )
                    continue
            if key in seen:
                plan.errors.append(CellError(row, "环节", f"与第 {seen[key]} 行重复"))
                continue
            seen[key] = row
            action = "unchanged" if key in placed else "new"
            plan.changes.append(
                RowChange(
                    row, key, action, {"node": f"{chain.name}·{node.name}", "label": label}, target_id=key[2]
                )
            )
        return plan

    @staticmethod
    def _enterprises(codes: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for chunk in iter_chunks(sorted(set(codes)), CHUNK):
            for e in Enterprise.objects.filter(uscc__in=chunk).values("pk", "uscc", "name", "town__path"):
                found[e["uscc"]] = dict(e)
        return found

    @staticmethod
    def _projects(
        by: Principal, places: list[tuple[int, dict[str, Any], Chain, ChainNode]]
    ) -> dict[Any, list[dict[str, Any]]]:
        """The projects the rows name that this person sees, by number and by name."""
        numbers = sorted({v["project"] for _r, v, _c, _n in places if v.get("project")})
        names = sorted(
            {v["project_name"] for _r, v, _c, _n in places if v.get("project_name") and not v.get("project")}
        )
        shown = Project.objects.visible_to(by)
        found: dict[Any, list[dict[str, Any]]] = {}
        for chunk in iter_chunks(numbers, CHUNK):
            for p in shown.filter(pk__in=chunk).values("pk", "name", "town__path"):
                found[p["pk"]] = [p]
        for chunk in iter_chunks(names, CHUNK):
            for p in shown.filter(name__in=chunk).values("pk", "name", "town__path").order_by("pk"):
                found.setdefault(plain(p["name"]), []).append(p)
        return found

    @staticmethod
    def _project(
        values: dict[str, Any], projects: dict[Any, list[dict[str, Any]]]
    ) -> tuple[dict[str, Any] | None, str, str]:
        number, name = values.get("project"), values.get("project_name")
        if number:
            if not (matches := projects.get(number)):
                return None, "项目编号", f"没有编号为 {number} 的项目，或该项目不在您的查看范围内"
            if name and name != plain(matches[0]["name"]):
                return None, "项目名称", f"与编号 {number} 的项目“{matches[0]['name']}”不同，请核对"
            return matches[0], "", ""
        matches = projects.get(name, [])
        if len(matches) > 1:
            return (
                None,
                "项目名称",
                f"有多个名为“{name}”的项目（编号 {'、'.join(str(p['pk']) for p in matches)}），请填写项目编号",
            )
        if not matches:
            return None, "项目名称", f"没有名为“{name}”的项目，或该项目不在您的查看范围内"
        return matches[0], "", ""

    def apply(self, plan: Plan, by: Principal, progress: Progress | None) -> None:
        new = [c for c in plan.changes if c.action == "new"]
        firms = [c for c in new if c.key[0] == "enterprise"]
        projects = [c for c in new if c.key[0] == "project"]
        NodeEnterprise.objects.bulk_create(
            [
                NodeEnterprise(node_id=c.key[1], enterprise_id=c.key[2], confirmed_by_id=by.user_id)
                for c in firms
            ],
            batch_size=2000,
        )
        NodeProject.objects.bulk_create(
            [
                NodeProject(node_id=c.key[1], project_id=c.key[2], confirmed_by_id=by.user_id)
                for c in projects
            ],
            batch_size=2000,
        )
        events = [
            event(
                c,
                AuditEvent.Action.UPDATE,
                ("chains.chainnode", c.key[1], c.values["node"]),
                after={"企业": c.values["label"]},
                note=f"确认企业在本环节：{c.values['label']}",
            )
            for c in firms
        ]
        events += [
            event(
                c,
                AuditEvent.Action.UPDATE,
                ("projects.project", c.key[2], c.values["label"]),
                after={"产业链环节": c.values["node"]},
                note=f"列入产业链环节：{c.values['node']}",
            )
            for c in projects
        ]
        audit.record_many(events)

    def export_records(self, by: Principal, filters: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        chains = Chains(by)
        shown = {c.pk: c for c in chains.all if c.pk in chains.visible}
        nodes = Nodes(shown)
        labels = {
            n.pk: (chains.label(shown[cid]), node_label(n, ns)) for cid, ns in nodes.of.items() for n in ns
        }
        firms = (
            NodeEnterprise.objects.visible_to(by)
            .filter(node__chain_id__in=sorted(shown))
            .order_by("node__chain__sort_order", "node__chain_id", "node_id", "enterprise__name", "pk")
            .values_list("node_id", "enterprise__uscc", "enterprise__name")
        )
        for node_id, code, name in firms.iterator(chunk_size=2000):
            chain, node = labels[node_id]
            yield {"chain": chain, "node": node, "uscc": code, "enterprise_name": name}
        projects = (
            NodeProject.objects.visible_to(by)
            .filter(node__chain_id__in=sorted(shown))
            .order_by("node__chain__sort_order", "node__chain_id", "node_id", "project__name", "pk")
            .values_list("node_id", "project_id", "project__name")
        )
        for node_id, number, name in projects.iterator(chunk_size=2000):
            chain, node = labels[node_id]
            yield {"chain": chain, "node": node, "project": number, "project_name": name}
