"""产业链环节 as a spreadsheet: one row a node, found by its chain and name; its parent by name in the
same chain (already there, or on another row of the file)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from zhaoshang.chains.models import NODE_STATUSES, SEGMENTS, Chain, ChainNode
from zhaoshang.chains.sheets.common import Chains, Nodes, changed, event, loose, node_label, target_of
from zhaoshang.core import audit, industries
from zhaoshang.core.imports import Plan, Progress, RowChange
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import CellError, Column, ParsedRows, Sheet

STATUS_LABELS = dict(NODE_STATUSES)
FIELDS = ("segment", "industry_codes", "keywords", "status", "status_reason")
# A node: ("node", pk) when it is stored, ("new", chain id, name) when a row of the file makes it.
Ref = tuple[Any, ...]


def _codes(value: str) -> str:
    """ "C3421、3491" → "3421,3491": every part a GB/T 4754 code (a 大类 or finer)."""
    parts = value.replace("，", ",").replace("、", ",").replace(" ", ",").split(",")
    codes = [industries.validate(part.strip()).code for part in parts if part.strip()]
    return ",".join(dict.fromkeys(codes))


def _words(value: str) -> str:
    return ",".join(w.strip() for w in value.replace("，", ",").split(",") if w.strip())


def _status(value: str) -> str:
    """强链, 补链（薄弱） or 断点（缺失）, written either way (full-width or plain brackets), or the short form."""
    typed = loose(value)
    for code, label in NODE_STATUSES:
        if typed in (code, loose(label), loose(label).split("(")[0]):
            return code
    raise ValueError(f"“{value}”不在可选项中（{'、'.join(STATUS_LABELS.values())}）")


NODE_SHEET = Sheet(
    kind="chain-nodes",
    title="产业链环节",
    key=("chain", "name"),
    columns=(
        Column("chain", "产业链", required=True, max_length=130, width=16, help="产业链名称"),
        Column(
            "parent",
            "上级环节",
            max_length=80,
            width=16,
            help="同一产业链中另一环节的名称（可以是本表其他行新增的环节）；留空为一级环节",
        ),
        Column("segment", "链段", kind="choice", required=True, choices=SEGMENTS, width=8),
        Column("name", "环节名称", required=True, max_length=60, width=18),
        Column(
            "industry_codes",
            "行业代码",
            validate=_codes,
            width=18,
            help="GB/T 4754-2017 代码，多个用逗号分隔",
        ),
        Column("keywords", "关键词", validate=_words, width=20, help="企业名称中的词，多个用逗号分隔"),
        Column(
            "status",
            "环节状态",
            max_length=20,
            validate=_status,
            help="强链、补链（薄弱）或断点（缺失）；新环节留空为补链（薄弱）",
        ),
        Column("status_reason", "状态依据", max_length=300, width=30, help="变更环节状态时必填"),
    ),
    description=(
        "每行一个环节，按产业链和环节名称匹配：已有的修改，没有的新增。上级环节填同一产业链中的环节名称。"
        "变更环节状态须同时写明状态依据。已有环节的空白单元格表示不修改。"
    ),
)


class NodeImporter:
    kind = "chain-nodes"
    label = "产业链环节"
    sheet = NODE_SHEET

    def sheet_for(self, by: Principal, writable: bool = True) -> Sheet:
        return self.sheet

    def plan(self, parsed: ParsedRows, by: Principal, progress: Progress | None) -> Plan:
        require(by, Action.EDIT_BUSINESS)
        plan = Plan(self.kind, parsed)
        chains = Chains(by)
        resolved: dict[int, Chain] = {}
        for row, values in parsed.rows:
            chain, why = chains.find(values["chain"])
            if chain is None:
                plan.errors.append(CellError(row, "产业链", why))
            else:
                resolved[row] = chain
        nodes = Nodes(c.pk for c in resolved.values())
        parents: dict[Ref, Ref | None] = {
            ("node", n.pk): ("node", n.parent_id) if n.parent_id else None
            for ns in nodes.of.values()
            for n in ns
        }
        new_names: dict[tuple[int, str], int] = {}
        targeted: dict[int, int] = {}
        rows: list[tuple[int, dict[str, Any], ChainNode | None]] = []
        for row, values in parsed.rows:
            chain = resolved.get(row)
            if chain is None:
                continue
            found = nodes.named(chain.pk, values["name"], values["segment"])
            if len(found) > 1:
                plan.errors.append(
                    CellError(row, "环节名称", f"产业链“{chain.name}”有多个同名同链段的环节，请在系统中处理")
                )
                continue
            current = found[0] if found else None
            if current is not None:
                if current.pk in targeted:
                    plan.errors.append(
                        CellError(row, "环节名称", f"与第 {targeted[current.pk]} 行是同一个环节")
                    )
                    continue
                targeted[current.pk] = row
            else:
                if (chain.pk, values["name"]) in new_names:
                    plan.errors.append(
                        CellError(row, "环节名称", f"与第 {new_names[(chain.pk, values['name'])]} 行重复")
                    )
                    continue
                new_names[(chain.pk, values["name"])] = row
            rows.append((row, values, current))
        for done, (row, values, current) in enumerate(rows, start=1):
            if progress and done % 500 == 0:
                progress(done, len(rows), "正在核对")
            chain = resolved[row]
            me: Ref = ("node", current.pk) if current else ("new", chain.pk, values["name"])
            problems: list[tuple[str, str]] = []
            parent: Ref | None = None
            if text := values.get("parent"):
                node, why = nodes.find(chain, text)
                if node is not None:
                    parent = ("node", node.pk)
                elif (chain.pk, text) in new_names:
                    parent = ("new", chain.pk, text)
                else:
                    problems.append(("上级环节", why))
                if parent == me:
                    problems.append(("上级环节", "不能是本环节自己"))
            fields = {k: values.get(k) for k in FIELDS}
            if current is None:
                fields |= {"chain": chain.pk, "name": values["name"], "parent": parent}
                fields["status"] = fields["status"] or "weak"
                action, diff = "new", {}
            else:
                diff = {
                    k: (getattr(current, k), v)
                    for k, v in fields.items()
                    if k in parsed.present and changed(getattr(current, k), v)
                }
                if parent is not None and parent != parents[me]:
                    diff["parent"] = (current.parent_id, parent)
                if "status" in diff and not values.get("status_reason"):
                    problems.append(("状态依据", "变更环节状态须写明状态依据"))
                action = "changed" if diff else "unchanged"
            if parent is not None and not problems:
                parents[me] = parent
            if problems:
                plan.errors += [CellError(row, header, message) for header, message in problems]
                continue
            key = (chain.pk, values["name"])
            plan.changes.append(RowChange(row, key, action, fields, diff, current.pk if current else None))
        self._refuse_cycles(plan, parents)
        return plan

    @staticmethod
    def _refuse_cycles(plan: Plan, parents: dict[Ref, Ref | None]) -> None:
        """A node may not end up above itself (A under B, B under A)."""
        for change in list(plan.changes):
            me: Ref = ("node", change.target_id) if change.target_id else ("new", *change.key)
            step, hops = parents.get(me), 0
            while step is not None and step != me and hops < 1000:
                step, hops = parents.get(step), hops + 1
            if step == me:
                plan.changes.remove(change)
                plan.errors.append(
                    CellError(change.row, "上级环节", "上级关系形成了循环（环节成了自己的下级）")
                )

    def apply(self, plan: Plan, by: Principal, progress: Progress | None) -> None:
        made: dict[Ref, ChainNode] = {}
        events: list[tuple[RowChange, ChainNode]] = []
        for change in (c for c in plan.changes if c.action == "new"):
            v = change.values
            parent = v["parent"]
            node = ChainNode(
                chain_id=v["chain"],
                name=v["name"],
                segment=v["segment"],
                industry_codes=v["industry_codes"] or "",
                keywords=v["keywords"] or "",
                status=v["status"],
                status_reason=v["status_reason"] or "",
                parent_id=parent[1] if parent and parent[0] == "node" else None,
            )
            node.save(force_insert=True)
            made[("new", v["chain"], v["name"])] = node
            events.append((change, node))
        for change, node in events:
            parent = change.values["parent"]
            if parent and parent[0] == "new":
                node.parent_id = made[parent].pk
                node.save(update_fields=["parent"])
        specs = [event(c, AuditEvent.Action.CREATE, target_of(n), after=audit.snapshot(n)) for c, n in events]
        changed_rows = [c for c in plan.changes if c.action == "changed"]
        current = ChainNode.objects.select_related("chain").in_bulk([c.target_id for c in changed_rows])
        for change in changed_rows:
            node = current[change.target_id]
            before, after = {}, {}
            for key, (old, new) in change.changes.items():
                if key == "parent":
                    new = made[new].pk if new[0] == "new" else new[1]
                    node.parent_id = new
                else:
                    setattr(node, key, new)
                before[key], after[key] = old, new
            node.save(update_fields=list(change.changes))
            note, action = "", AuditEvent.Action.UPDATE
            if "status" in change.changes:
                old, new = change.changes["status"]
                note, action = (
                    f"环节状态：{STATUS_LABELS[old]}→{STATUS_LABELS[new]}",
                    AuditEvent.Action.TRANSITION,
                )
            specs.append(event(change, action, target_of(node), after=after, before=before, note=note))
        audit.record_many(specs)

    def export_records(self, by: Principal, filters: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        chains = Chains(by)
        shown = {c.pk: c for c in chains.all if c.pk in chains.visible}
        nodes = Nodes(shown)
        order = {code: i for i, (code, _label) in enumerate(SEGMENTS)}
        every = sorted(
            (n for ns in nodes.of.values() for n in ns),
            key=lambda n: (shown[n.chain_id].sort_order, n.chain_id, order[n.segment], n.sort_order, n.pk),
        )
        by_pk = {n.pk: n for n in every}
        for n in every:
            siblings = nodes.of[n.chain_id]
            parent = by_pk.get(n.parent_id) if n.parent_id else None
            yield {
                "chain": chains.label(shown[n.chain_id]),
                "parent": node_label(parent, siblings) if parent else None,
                "segment": n.segment,
                "name": n.name,
                "industry_codes": n.industry_codes or None,
                "keywords": n.keywords or None,
                "status": STATUS_LABELS[n.status],
                "status_reason": n.status_reason or None,
            }
