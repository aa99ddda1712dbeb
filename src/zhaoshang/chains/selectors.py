"""Reads of the chains app: chains with their figures, node facts, gaps, suggestions, report figures
and the commitments kept. Each is a fixed number of grouped queries, whatever the number of
enterprises placed."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.html import escape

from zhaoshang.chains.models import (
    SEGMENTS,
    Chain,
    ChainNode,
    ChainPolicy,
    ChainProblem,
    Commitment,
    NodeEnterprise,
    NodeProject,
    Report,
    TargetCompany,
)
from zhaoshang.core.scoping import Principal
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear
from zhaoshang.evaluation.models import Evaluation, EvaluationResult
from zhaoshang.projects.models import FundArrival, Project, StageMove

MET = ("contacted", "visited", "negotiating", "converted")
STATUS_ORDER = {"missing": 0, "weak": 1, "strong": 2}


def data_year() -> int:
    """The year whose enterprise figures the chain pages show: last year's, the latest complete one."""
    return timezone.localdate().year - 1


def last_day(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def chains(principal: Principal) -> QuerySet[Chain]:
    rows: QuerySet[Chain] = Chain.objects.visible_to(principal)
    return rows.select_related("chief", "lead_unit", "cluster", "county").annotate(
        node_count=Count("nodes", distinct=True),
        missing_count=Count("nodes", filter=Q(nodes__status="missing"), distinct=True),
        weak_count=Count("nodes", filter=Q(nodes__status="weak"), distinct=True),
    )


def chain_for_page(principal: Principal, pk: int) -> Chain:
    rows = Chain.objects.select_related("chief", "lead_unit", "cluster", "county")
    return rows.get_visible_or_404(principal, pk=pk)  # type: ignore[return-value]


def node_for_page(principal: Principal, pk: int) -> ChainNode:
    rows = ChainNode.objects.select_related("chain", "chain__county", "chain__lead_unit", "parent")
    return rows.get_visible_or_404(principal, pk=pk)  # type: ignore[return-value]


def target_for_page(principal: Principal, pk: int) -> TargetCompany:
    rows = TargetCompany.objects.select_related(
        "chain", "chain__county", "chain__lead_unit", "node", "team", "leader", "project"
    )
    return rows.get_visible_or_404(principal, pk=pk)  # type: ignore[return-value]


def chain_enterprise_ids(chain: Chain) -> QuerySet[Any]:
    return NodeEnterprise.objects.filter(node__chain=chain).values("enterprise_id")


def chain_project_ids(chain: Chain) -> list[int]:
    return list(NodeProject.objects.filter(node__chain=chain).values_list("project_id", flat=True).distinct())


def chain_projects(principal: Principal, chain: Chain, *, runs_chain: bool = False) -> QuerySet[Project]:
    """The chain's projects still alive, for the report's commitments: those the person may see, or
    every project on the chain for those who run it (its lead unit and the county's coordinators
    answer for all of them at the 推进会, wherever each project is based)."""
    rows = Project.objects.all() if runs_chain else Project.objects.visible_to(principal)
    return (
        rows.filter(pk__in=NodeProject.objects.filter(node__chain=chain).values("project_id"))
        .exclude(stage="dropped")
        .order_by("name", "pk")
    )


def chain_output(chain: Chain, year: int) -> Decimal:
    """The chain's enterprises' output in `year`, each enterprise once (one may sit on two nodes)."""
    total = EnterpriseYear.objects.filter(
        year=year, withdrawn_at__isnull=True, enterprise_id__in=chain_enterprise_ids(chain)
    ).aggregate(s=Sum("output_value"))["s"]
    return total or Decimal(0)


def outputs_by_chain(chain_ids: list[int], year: int) -> dict[int, Decimal]:
    """Output per chain for a list page: one grouped query (an enterprise on two nodes of one chain
    counts twice there; the chain page's own figure counts it once)."""
    rows = (
        EnterpriseYear.objects.filter(
            year=year, withdrawn_at__isnull=True, enterprise__chain_nodes__node__chain_id__in=chain_ids
        )
        .values("enterprise__chain_nodes__node__chain_id")
        .annotate(s=Sum("output_value"))
    )
    return {r["enterprise__chain_nodes__node__chain_id"]: r["s"] or Decimal(0) for r in rows}


def published_runs(county_id: int) -> list[int]:
    """The county's published 亩均 evaluations of their latest year (one per population covered)."""
    runs = Evaluation.objects.filter(unit_id=county_id, status=Evaluation.Status.PUBLISHED)
    latest = runs.order_by("-year").values_list("year", flat=True).first()
    return list(runs.filter(year=latest).values_list("pk", flat=True)) if latest else []


@dataclass
class NodeFacts:
    node: ChainNode
    enterprises: int = 0
    output: Decimal = Decimal(0)
    grades: dict[str, int] = field(default_factory=dict)
    projects: int = 0
    investment: Decimal = Decimal(0)
    targets: int = 0
    targets_met: int = 0

    @property
    def grade_line(self) -> str:
        return "，".join(f"{g} 类 {n} 家" for g, n in sorted(self.grades.items())) or "—"


def node_facts(chain: Chain) -> list[NodeFacts]:
    """Every node of the chain with what informs its status: five grouped queries in all."""
    order = {code: i for i, (code, _label) in enumerate(SEGMENTS)}
    nodes = sorted(chain.nodes.select_related("parent"), key=lambda n: (order[n.segment], n.sort_order, n.pk))
    facts = {n.pk: NodeFacts(n) for n in nodes}
    year = data_year()
    for r in NodeEnterprise.objects.filter(node__chain=chain).values("node_id").annotate(n=Count("pk")):
        facts[r["node_id"]].enterprises = r["n"]
    output = (
        EnterpriseYear.objects.filter(
            year=year, withdrawn_at__isnull=True, enterprise__chain_nodes__node__chain=chain
        )
        .values("enterprise__chain_nodes__node_id")
        .annotate(s=Sum("output_value"))
    )
    for row in output:
        facts[row["enterprise__chain_nodes__node_id"]].output = row["s"] or Decimal(0)
    runs = published_runs(chain.county_id)
    if runs:
        graded = (
            EvaluationResult.objects.filter(run_id__in=runs, enterprise__chain_nodes__node__chain=chain)
            .values("enterprise__chain_nodes__node_id", "grade")
            .annotate(n=Count("pk"))
        )
        for g in graded:
            if g["grade"]:
                facts[g["enterprise__chain_nodes__node_id"]].grades[g["grade"]] = g["n"]
    projects = (
        NodeProject.objects.filter(node__chain=chain)
        .values("node_id")
        .annotate(n=Count("pk"), s=Sum("project__planned_investment"))
    )
    for p in projects:
        facts[p["node_id"]].projects, facts[p["node_id"]].investment = p["n"], p["s"] or Decimal(0)
    targets = (
        TargetCompany.objects.filter(chain=chain)
        .values("node_id")
        .annotate(n=Count("pk"), met=Count("pk", filter=Q(status__in=MET)))
    )
    for t in targets:
        facts[t["node_id"]].targets, facts[t["node_id"]].targets_met = t["n"], t["met"]
    return list(facts.values())


def panorama(chain: Chain, facts: list[NodeFacts], link: str) -> dict[str, Any]:
    """The ECharts tree of the chain: the chain, its three segments, their nodes (children under
    their parent), coloured by status and sized by output; `link` has "0" where the node's id goes."""
    colours = {"strong": "#198754", "weak": "#fd7e14", "missing": "#dc3545"}
    top = max((f.output for f in facts), default=Decimal(0)) or Decimal(1)
    items: dict[int, dict[str, Any]] = {}
    for f in facts:
        n = f.node
        items[n.pk] = {
            "name": n.name,
            "value": float(f.output),
            "symbolSize": 10 + round(float(f.output / top) * 22),
            "itemStyle": {"color": colours[n.status]},
            "tip": f"{escape(n.name)}（{n.get_status_display()}）<br>"
            f"企业 {f.enterprises} 家，项目 {f.projects} 个，目标企业 {f.targets} 家",
            "link": link.replace("/0/", f"/{n.pk}/"),
            "id": f"node-{n.pk}",
            "children": [],
        }
    segments: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in facts:
        n = f.node
        if n.parent_id and n.parent_id in items:
            items[n.parent_id]["children"].append(items[n.pk])
        else:
            segments[n.segment].append(items[n.pk])
    return {
        "name": chain.name,
        "children": [
            {"name": label, "children": segments[code], "itemStyle": {"color": "#6c757d"}}
            for code, label in SEGMENTS
        ],
    }


def gaps(chain: Chain, facts: list[NodeFacts]) -> list[tuple[NodeFacts, list[TargetCompany]]]:
    """Missing and weak nodes with the targets proposed for each: a missing node with no target met
    first, then missing, then weak with none met, then weak."""
    open_nodes = [f for f in facts if f.node.status in ("missing", "weak")]
    targets: dict[int, list[TargetCompany]] = defaultdict(list)
    rows = TargetCompany.objects.filter(chain=chain, node__in=[f.node for f in open_nodes]).select_related(
        "team", "leader", "project"
    )
    for t in rows.order_by("node_id", "status", "name"):
        targets[t.node_id].append(t)
    open_nodes.sort(
        key=lambda f: (STATUS_ORDER[f.node.status], f.targets_met > 0, f.node.sort_order, f.node.pk)
    )
    return [(f, targets[f.node.pk]) for f in open_nodes]


def suggestions(node: ChainNode, limit: int = 50) -> list[Enterprise]:
    """The county's enterprises whose industry code or name fits the node, not yet placed on it."""
    fits = [Q(industry_code__startswith=c) for c in node.codes] + [Q(name__contains=w) for w in node.words]
    if not fits:
        return []
    county = node.chain.county.path
    placed = NodeEnterprise.objects.filter(node=node, enterprise=OuterRef("pk"))
    rows = (
        Enterprise.objects.filter(reduce(or_, fits), town__path__startswith=county)
        .exclude(Exists(placed))
        .select_related("town")
        .order_by("name", "pk")
    )
    return list(rows[:limit])


def project_suggestions(principal: Principal, node: ChainNode, limit: int = 30) -> list[Project]:
    fits = [Q(industry_code__startswith=c) for c in node.codes] + [Q(name__contains=w) for w in node.words]
    if not fits:
        return []
    placed = NodeProject.objects.filter(node=node, project=OuterRef("pk"))
    rows = (
        Project.objects.visible_to(principal)
        .filter(reduce(or_, fits))
        .exclude(Exists(placed))
        .exclude(stage="dropped")
        .order_by("-created_at", "pk")
    )
    return list(rows[:limit])


def report_figures(chain: Chain, month: dt.date) -> dict[str, Any]:
    """The figures part of a month's report, from the data: not typed, not editable."""
    start, end = month, last_day(month)
    year = data_year()
    projects = NodeProject.objects.filter(node__chain=chain).values("project_id")
    moved = StageMove.objects.filter(project_id__in=projects, on__range=(start, end))
    funds = FundArrival.objects.filter(
        project_id__in=projects, on__range=(start, end), withdrawn_at__isnull=True
    ).aggregate(s=Sum("amount"))["s"]
    signed = Project.objects.filter(pk__in=projects, signed_on__range=(start, end)).count()
    landed = Project.objects.filter(pk__in=projects, start_date__range=(start, end)).count()
    contacted = TargetCompany.objects.filter(
        chain=chain, status__in=MET, status_since__range=(start, end)
    ).count()
    output = chain_output(chain, year)
    return {
        "year": year,
        "output": str(output),
        "output_target": str(chain.output_target) if chain.output_target is not None else "",
        "projects_moved": moved.values("project_id").distinct().count(),
        "signed": signed,
        "landed": landed,
        "funds": str(funds or Decimal(0)),
        "targets_met": contacted,
    }


@dataclass
class Outcome:
    commitment: Commitment
    kept: bool
    on: dt.date | None

    @property
    def words(self) -> str:
        if self.commitment.kind == "sign":
            return f"已于 {self.on:%m月%d日} 签约" if self.kept and self.on else "未签约"
        return f"已于 {self.on:%m月%d日} 开工" if self.kept and self.on else "未落地"


def outcomes(report: Report) -> list[Outcome]:
    """Each commitment of the report beside what happened by the end of its month."""
    end = last_day(report.month)
    found = []
    for c in report.commitments.select_related("project").order_by("kind", "project__name"):
        on = c.project.signed_on if c.kind == "sign" else c.project.start_date
        found.append(Outcome(c, bool(on and on <= end), on))
    return found


def previous_report(report_chain: Chain, month: dt.date) -> Report | None:
    before = (month - dt.timedelta(days=1)).replace(day=1)
    return Report.objects.filter(chain=report_chain, month=before).select_related("filed_by").first()


def open_problems(chain: Chain) -> QuerySet[ChainProblem]:
    return (
        chain.problems.exclude(status="solved")
        .select_related("owner_unit", "node")
        .order_by("deadline", "pk")
    )


ACTIVE = ("not_contacted", "contacted", "visited", "negotiating")


def stale_before(chain: Chain, today: dt.date | None = None) -> dt.date:
    """A target still in work whose status has not moved since before this day is overdue."""
    return (today or timezone.localdate()) - dt.timedelta(days=chain.target_stale_days)


def overdue_targets(chain: Chain, today: dt.date | None = None) -> QuerySet[TargetCompany]:
    """The chain's targets in work that have sat in one contact state past the chain's limit."""
    return (
        chain.targets.filter(status__in=ACTIVE, status_since__lt=stale_before(chain, today))
        .select_related("node", "team", "leader")
        .order_by("status_since", "pk")
    )


def policy_for_page(principal: Principal, pk: int) -> ChainPolicy:
    rows = ChainPolicy.objects.select_related("chain", "chain__county", "chain__lead_unit")
    return rows.get_visible_or_404(principal, pk=pk)  # type: ignore[return-value]


def problem_for_page(principal: Principal, pk: int) -> ChainProblem:
    rows = ChainProblem.objects.select_related(
        "chain", "chain__county", "chain__lead_unit", "node", "owner_unit"
    )
    return rows.get_visible_or_404(principal, pk=pk)  # type: ignore[return-value]


def target_roster(chain: Chain) -> str:
    """The chain's target companies as the plan keeps them: one line each, with node and state."""
    rows = chain.targets.select_related("node").order_by("node__segment", "node__sort_order", "name")
    return "\n".join(f"{t.name}（{t.node.name}，{t.get_status_display()}）" for t in rows)
