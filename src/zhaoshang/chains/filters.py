"""一图五单's five lists: each a FilterSet over what the person may see, narrowed to one chain, and
the export of exactly its rows (the same filters, the same order)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import django_filters
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from zhaoshang.chains import selectors
from zhaoshang.chains.models import (
    MODES,
    PROBLEM_STATUSES,
    STRENGTHS,
    TARGET_STATUSES,
    Chain,
    ChainNode,
    ChainPolicy,
    ChainProblem,
    NodeEnterprise,
    NodeProject,
    TargetCompany,
)
from zhaoshang.core.exports import export_sheet
from zhaoshang.core.lists import ScopedFilterSet, Sort, Ticked
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import Column
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear
from zhaoshang.evaluation.models import EvaluationResult
from zhaoshang.projects.models import STAGES, Project


def _node_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label="环节", queryset=ChainNode.objects.none(), empty_label="全部环节", method="on_node"
    )


class ChainListing(ScopedFilterSet):
    """A list of one chain's rows: `for_chain` narrows the person's scope to the chain; the node
    picker offers the chain's own nodes."""

    chain_lookup = "chain"

    def __init__(self, *args: Any, chain: Chain, **kwargs: Any) -> None:
        self.chain = chain
        super().__init__(*args, **kwargs)
        if "node" in self.filters:
            nodes = chain.nodes.order_by("segment", "sort_order", "pk")
            self.filters["node"].queryset = nodes

    def on_node(self, rows: QuerySet[Any], name: str, node: ChainNode) -> QuerySet[Any]:
        return rows.filter(node=node)

    @classmethod
    def for_chain(cls, request: Any, chain: Chain) -> ChainListing:
        principal = request.principal
        rows = cls.base_queryset(principal).filter(**{cls.chain_lookup: chain})
        return cls(request.GET, principal=principal, request=request, queryset=rows, chain=chain)


# --- 政策清单 -----------------------------------------------------------------------------------------


class PolicyListing(ChainListing):
    q = django_filters.CharFilter(label="政策名称", field_name="title", lookup_expr="icontains")
    sort = Sort(
        fields={"title": "政策名称", "valid_until": "有效期至", "created_at": "列入日期"},
        default="-created_at",
    )

    class Meta:
        model = ChainPolicy
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[ChainPolicy]:
        return ChainPolicy.objects.visible_to(principal).filter(withdrawn=False)


POLICY_SHEET = export_sheet(
    "产业链政策清单",
    [
        Column("title", "政策名称", width=36),
        Column("issuer", "发文单位", width=18),
        Column("document_no", "文号", width=18),
        Column("valid_until", "有效期至", kind="date"),
        Column("summary", "政策要点", width=50),
    ],
)


def policy_records(rows: QuerySet[ChainPolicy]) -> Iterator[dict[str, Any]]:
    for p in rows.iterator(chunk_size=2000):
        yield {
            "title": p.title,
            "issuer": p.issuer or None,
            "document_no": p.document_no or None,
            "valid_until": p.valid_until,
            "summary": p.summary or None,
        }


# --- 问题清单 -----------------------------------------------------------------------------------------


class ProblemListing(ChainListing):
    q = django_filters.CharFilter(label="问题", field_name="title", lookup_expr="icontains")
    node = _node_filter()
    status = django_filters.ChoiceFilter(label="状态", choices=PROBLEM_STATUSES, empty_label="全部状态")
    sort = Sort(fields={"deadline": "办结时限", "raised_on": "提出日期"}, default="deadline")

    class Meta:
        model = ChainProblem
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[ChainProblem]:
        return ChainProblem.objects.visible_to(principal).select_related("owner_unit", "node")


PROBLEM_SHEET = export_sheet(
    "产业链问题清单",
    [
        Column("title", "问题", width=36),
        Column("node", "环节", width=16),
        Column("owner_unit", "责任单位", width=18),
        Column("raised_on", "提出日期", kind="date"),
        Column("deadline", "办结时限", kind="date"),
        Column("status", "状态", kind="choice", choices=PROBLEM_STATUSES),
        Column("overdue", "是否逾期"),
        Column("resolution", "解决情况", width=40),
    ],
)


def problem_records(rows: QuerySet[ChainProblem]) -> Iterator[dict[str, Any]]:
    today = timezone.localdate()
    for p in rows.iterator(chunk_size=2000):
        yield {
            "title": p.title,
            "node": p.node.name if p.node else None,
            "owner_unit": p.owner_unit.name,
            "raised_on": p.raised_on,
            "deadline": p.deadline,
            "status": p.status,
            "overdue": "逾期" if p.status != "solved" and p.deadline < today else "否",
            "resolution": p.resolution or None,
        }


# --- 企业清单 -----------------------------------------------------------------------------------------


def _figure(name: str, year: int) -> Subquery:
    rows = EnterpriseYear.objects.filter(enterprise=OuterRef("pk"), year=year, withdrawn_at__isnull=True)
    return Subquery(rows.values(name)[:1])


class EnterpriseListing(ChainListing):
    q = django_filters.CharFilter(label="企业名称", field_name="name", lookup_expr="icontains")
    node = _node_filter()
    chain_lookup = "chain_nodes__node__chain"
    sort = Sort(fields={"name": "企业名称", "output": "产值", "tax": "税收"}, default="-output")

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def on_node(self, rows: QuerySet[Any], name: str, node: ChainNode) -> QuerySet[Any]:
        return rows.filter(pk__in=NodeEnterprise.objects.filter(node=node).values("enterprise_id"))

    @classmethod
    def for_chain(cls, request: Any, chain: Chain) -> ChainListing:
        principal = request.principal
        year = selectors.data_year()
        runs = selectors.published_runs(chain.county_id)
        grade = EvaluationResult.objects.filter(enterprise=OuterRef("pk"), run_id__in=runs).order_by(
            "-run_id"
        )
        on_chain = NodeEnterprise.objects.filter(node__chain=chain).select_related("node")
        rows = (
            Enterprise.objects.visible_to(principal)
            .filter(pk__in=selectors.chain_enterprise_ids(chain))
            .select_related("town")
            .annotate(
                output=_figure("output_value", year),
                output_before=_figure("output_value", year - 1),
                tax=_figure("tax", year),
                tax_before=_figure("tax", year - 1),
                grade=Subquery(grade.values("grade")[:1]),
            )
            .prefetch_related(Prefetch("chain_nodes", queryset=on_chain, to_attr="on_chain"))
        )
        return cls(request.GET, principal=principal, request=request, queryset=rows, chain=chain)


def growth(now: Any, before: Any) -> str:
    """ "+12.5%" against last year, "—" when either year is missing or last year was nought."""
    if now is None or before is None or not before:
        return "—"
    change = (now - before) / before * 100
    return f"{change:+.1f}%"


ENTERPRISE_SHEET = export_sheet(
    "产业链企业清单",
    [
        Column("name", "企业名称", width=32),
        Column("nodes", "环节", width=20),
        Column("town", "所在乡镇", width=12),
        Column("output", "工业总产值", kind="decimal", unit="万元"),
        Column("output_growth", "产值同比"),
        Column("tax", "实缴税金", kind="decimal", unit="万元"),
        Column("tax_growth", "税收同比"),
        Column("grade", "亩均评价类别"),
    ],
)


def enterprise_records(rows: QuerySet[Enterprise]) -> Iterator[dict[str, Any]]:
    for e in rows:  # a prefetch: iterated in chunks by the database cursor, the nodes alongside
        yield {
            "name": e.name,
            "nodes": "、".join(p.node.name for p in e.on_chain) or None,  # type: ignore[attr-defined]
            "town": e.town.name,
            "output": e.output,  # type: ignore[attr-defined]
            "output_growth": growth(e.output, e.output_before),  # type: ignore[attr-defined]
            "tax": e.tax,  # type: ignore[attr-defined]
            "tax_growth": growth(e.tax, e.tax_before),  # type: ignore[attr-defined]
            "grade": f"{e.grade} 类" if e.grade else "未评价",  # type: ignore[attr-defined]
        }


# --- 项目清单 -----------------------------------------------------------------------------------------


class ProjectListing(ChainListing):
    q = django_filters.CharFilter(label="项目名称", field_name="name", lookup_expr="icontains")
    node = _node_filter()
    stage = django_filters.ChoiceFilter(label="阶段", choices=STAGES, empty_label="全部阶段")
    chain_lookup = "chain_nodes__node__chain"
    sort = Sort(
        fields={"name": "项目名称", "planned_investment": "计划投资", "funds_in_place": "到位资金"},
        default="-planned_investment",
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def on_node(self, rows: QuerySet[Any], name: str, node: ChainNode) -> QuerySet[Any]:
        return rows.filter(pk__in=NodeProject.objects.filter(node=node).values("project_id"))

    @classmethod
    def for_chain(cls, request: Any, chain: Chain) -> ChainListing:
        principal = request.principal
        on_chain = NodeProject.objects.filter(node__chain=chain).select_related("node")
        rows = (
            Project.objects.visible_to(principal)
            .filter(pk__in=NodeProject.objects.filter(node__chain=chain).values("project_id"))
            .select_related("town", "lead_unit")
            .prefetch_related(Prefetch("chain_nodes", queryset=on_chain, to_attr="on_chain"))
        )
        return cls(request.GET, principal=principal, request=request, queryset=rows, chain=chain)


PROJECT_SHEET = export_sheet(
    "产业链项目清单",
    [
        Column("name", "项目名称", width=32),
        Column("nodes", "环节", width=20),
        Column("stage", "阶段", kind="choice", choices=STAGES),
        Column("investor", "投资方", width=24),
        Column("town", "所在乡镇", width=12),
        Column("planned_investment", "计划投资", kind="decimal", unit="万元"),
        Column("funds_in_place", "实际到位资金", kind="decimal", unit="万元"),
        Column("signed_on", "签约日期", kind="date"),
    ],
)


def project_records(rows: QuerySet[Project]) -> Iterator[dict[str, Any]]:
    for p in rows:
        yield {
            "name": p.name,
            "nodes": "、".join(n.node.name for n in p.on_chain) or None,  # type: ignore[attr-defined]
            "stage": p.stage,
            "investor": p.investor_name,
            "town": p.town.name,
            "planned_investment": p.planned_investment,
            "funds_in_place": p.funds_in_place,
            "signed_on": p.signed_on,
        }


# --- 招商清单 -----------------------------------------------------------------------------------------


class TargetListing(ChainListing):
    q = django_filters.CharFilter(label="企业名称", field_name="name", lookup_expr="icontains")
    node = _node_filter()
    status = django_filters.ChoiceFilter(label="对接状态", choices=TARGET_STATUSES, empty_label="全部状态")
    mode = django_filters.ChoiceFilter(label="招商模式", choices=MODES, empty_label="全部模式")
    strength = django_filters.ChoiceFilter(label="企业类别", choices=STRENGTHS, empty_label="全部类别")
    overdue = Ticked(label="只看停滞逾期的", method="on_overdue")
    sort = Sort(fields={"name": "企业名称", "status_since": "状态日期"}, default="name")

    def on_overdue(self, rows: QuerySet[TargetCompany], name: str, value: bool) -> QuerySet[TargetCompany]:
        """Targets in work that have sat in one contact state longer than the chain allows."""
        return rows.filter(status__in=selectors.ACTIVE, status_since__lt=selectors.stale_before(self.chain))

    class Meta:
        model = TargetCompany
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[TargetCompany]:
        return TargetCompany.objects.visible_to(principal).select_related("node", "team", "leader", "project")


TARGET_SHEET = export_sheet(
    "产业链招商清单",
    [
        Column("name", "企业名称", width=32),
        Column("node", "环节", width=16),
        Column("location", "所在地", width=12),
        Column("strength", "企业类别", kind="choice", choices=STRENGTHS),
        Column("mode", "招商模式", kind="choice", choices=MODES),
        Column("fit", "契合理由", width=36),
        Column("team", "责任招商组", width=16),
        Column("leader", "联系县领导", width=12),
        Column("status", "对接状态", kind="choice", choices=TARGET_STATUSES),
        Column("status_since", "状态日期", kind="date"),
        Column("project", "转化项目", width=30),
    ],
)


def target_records(rows: QuerySet[TargetCompany]) -> Iterator[dict[str, Any]]:
    for t in rows.iterator(chunk_size=2000):
        yield {
            "name": t.name,
            "node": t.node.name,
            "location": t.location or None,
            "strength": t.strength,
            "mode": t.mode,
            "fit": t.fit or None,
            "team": t.team.name if t.team else None,
            "leader": (t.leader.display_name or t.leader.username) if t.leader else None,
            "status": t.status,
            "status_since": t.status_since,
            "project": t.project.name if t.project else None,
        }
