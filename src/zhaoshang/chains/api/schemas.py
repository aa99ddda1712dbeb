"""What the chains endpoints take and give: amounts as Decimal strings in 万元, labels in Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from zhaoshang.chains import selectors, services
from zhaoshang.chains.models import (
    COMMITMENT_KINDS,
    MODES,
    NODE_STATUSES,
    SEGMENTS,
    STRENGTHS,
    Chain,
    Report,
    TargetCompany,
)
from zhaoshang.core.api.schemas import Input

SEGMENT_LABELS, NODE_LABELS = dict(SEGMENTS), dict(NODE_STATUSES)
STRENGTH_LABELS, MODE_LABELS, KIND_LABELS = dict(STRENGTHS), dict(MODES), dict(COMMITMENT_KINDS)
# A node may have tens of thousands of enterprises placed: the record lists the first ones by name.
ENTERPRISES_LISTED = 500
# Sums come back from the database as they fall; amounts are answered with the stored 4 decimals.
PLACES = Decimal("0.0001")
# A record's id: a positive integer the database's columns hold.
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ChainOut(Schema):
    id: int
    name: str
    county_id: int
    county: str = Field(..., alias="county.name")
    cluster_id: int | None
    cluster: str | None
    chief_id: int
    chief: str
    deputy_chiefs: list[str] = Field(..., description="副链长")
    lead_unit_id: int
    lead_unit: str = Field(..., alias="lead_unit.name")
    member_units: list[str] = Field(..., description="责任单位")
    output_target: Decimal | None = Field(..., description="年度产值目标（万元）")
    min_investment: Decimal | None = Field(..., description="准入：计划投资不低于（万元）")
    min_intensity: Decimal | None = Field(..., description="准入：投资强度不低于（万元/亩）")
    min_tax_per_mu: Decimal | None = Field(..., description="准入：亩均税收不低于（万元/亩）")
    max_energy_per_output: Decimal | None = Field(
        ..., description="准入：单位产值能耗不高于（吨标准煤/万元）"
    )
    target_stale_days: int = Field(..., description="目标企业在同一对接状态停留超过这些天，列为逾期")
    version: int

    @staticmethod
    def resolve_cluster(obj: Chain) -> str | None:
        return obj.cluster.name if obj.cluster_id and obj.cluster else None

    @staticmethod
    def resolve_chief(obj: Chain) -> str:
        return str(obj.chief)

    @staticmethod
    def resolve_deputy_chiefs(obj: Chain) -> list[str]:
        return [str(u) for u in obj.deputy_chiefs.all()]

    @staticmethod
    def resolve_member_units(obj: Chain) -> list[str]:
        return [u.name for u in obj.member_units.all()]


class ChainListOut(ChainOut):
    node_count: int = Field(..., description="环节数")
    missing_count: int = Field(..., description="断点（缺失）环节数")
    weak_count: int = Field(..., description="补链（薄弱）环节数")


class NodeOut(Schema):
    """A node of the chain with the facts that inform its status (enterprises' output of the data year)."""

    id: int = Field(..., alias="node.pk")
    parent_id: int | None = Field(..., alias="node.parent_id")
    segment: str = Field(..., alias="node.segment")
    segment_label: str
    name: str = Field(..., alias="node.name")
    industry_codes: str = Field(..., alias="node.industry_codes")
    keywords: str = Field(..., alias="node.keywords")
    status: str = Field(..., alias="node.status")
    status_label: str
    status_reason: str = Field(..., alias="node.status_reason")
    enterprises: int = Field(..., description="本环节企业数")
    output: Decimal = Field(..., description="本环节企业上年产值（万元）")
    grades: dict[str, int] = Field(..., description="亩均评价各类企业数")
    projects: int
    investment: Decimal = Field(..., description="本环节项目计划投资（万元）")
    targets: int
    targets_met: int = Field(..., description="已接触的目标企业数")

    @staticmethod
    def resolve_output(obj: selectors.NodeFacts) -> Decimal:
        return obj.output.quantize(PLACES)

    @staticmethod
    def resolve_investment(obj: selectors.NodeFacts) -> Decimal:
        return obj.investment.quantize(PLACES)

    @staticmethod
    def resolve_segment_label(obj: selectors.NodeFacts) -> str:
        return SEGMENT_LABELS[obj.node.segment]

    @staticmethod
    def resolve_status_label(obj: selectors.NodeFacts) -> str:
        return NODE_LABELS[obj.node.status]


class ChainDetailOut(ChainOut):
    year: int = Field(..., description="节点产值的数据年度")
    nodes: list[NodeOut]

    @staticmethod
    def resolve_year(obj: Chain) -> int:
        return selectors.data_year()

    @staticmethod
    def resolve_nodes(obj: Chain) -> list[selectors.NodeFacts]:
        return selectors.node_facts(obj)


class Named(Schema):
    id: int
    name: str


class NodeDetailOut(Schema):
    id: int
    chain_id: int
    chain: str
    parent_id: int | None
    segment: str
    segment_label: str
    name: str
    industry_codes: str
    keywords: str
    status: str
    status_label: str
    status_reason: str
    enterprise_count: int = Field(..., description="您可见的本环节企业数")
    enterprises: list[Named] = Field(..., description=f"本环节企业（按名称，最多 {ENTERPRISES_LISTED} 家）")
    projects: list[Named]


class TargetOut(Schema):
    id: int
    chain_id: int
    node_id: int
    node: str = Field(..., alias="node.name")
    name: str
    location: str
    strength: str
    strength_label: str
    fit: str
    mode: str
    mode_label: str
    team_id: int | None
    team: str | None
    leader_id: int | None
    leader: str | None
    status: str
    status_label: str
    status_since: dt.date = Field(..., description="进入本状态日期")
    drop_reason: str
    project_id: int | None = Field(..., description="转化项目")
    project: str | None
    version: int

    @staticmethod
    def resolve_strength_label(obj: TargetCompany) -> str:
        return STRENGTH_LABELS.get(obj.strength, obj.strength)

    @staticmethod
    def resolve_mode_label(obj: TargetCompany) -> str:
        return MODE_LABELS.get(obj.mode, obj.mode)

    @staticmethod
    def resolve_team(obj: TargetCompany) -> str | None:
        return obj.team.name if obj.team_id and obj.team else None

    @staticmethod
    def resolve_leader(obj: TargetCompany) -> str | None:
        return str(obj.leader) if obj.leader_id else None

    @staticmethod
    def resolve_status_label(obj: TargetCompany) -> str:
        return services.TARGET_LABELS[obj.status]

    @staticmethod
    def resolve_project(obj: TargetCompany) -> str | None:
        return obj.project.name if obj.project_id and obj.project else None


class TargetMoveIn(Input):
    status: str = Field(
        ...,
        description="变更到：not_contacted、contacted、visited、negotiating 或 dropped（转为项目另有操作）",
    )
    on: dt.date | None = Field(None, description="进入新状态的日期，不填为今天")
    reason: str = Field("", max_length=300, description="原因：放弃时必填")


class CommitmentOut(Schema):
    project_id: int
    project: str
    kind: str = Field(..., description="sign 本月签约、land 本月落地（开工）")
    kind_label: str
    kept: bool = Field(..., description="到该月月底是否已兑现")
    on: dt.date | None = Field(..., description="签约或开工日期")


class ReportOut(Schema):
    id: int
    chain_id: int
    month: str = Field(..., description="月份，YYYY-MM")
    achievements: str
    shortfalls: str
    causes: str
    plan: str
    figures: dict[str, Any] = Field(..., description="数据部分：推进会召开、月报锁定时冻结；锁定前为空")
    filed_by_id: int
    filed_by: str
    filed_at: dt.datetime
    late: bool
    locked: bool
    commitments: list[CommitmentOut]

    @staticmethod
    def resolve_month(obj: Report) -> str:
        return f"{obj.month:%Y-%m}"

    @staticmethod
    def resolve_filed_by(obj: Report) -> str:
        return str(obj.filed_by)

    @staticmethod
    def resolve_commitments(obj: Report) -> list[dict[str, Any]]:
        end = selectors.last_day(obj.month)
        found = []
        for c in obj.commitments.all():  # prefetched with their projects, in the report's order
            on = c.project.signed_on if c.kind == "sign" else c.project.start_date
            found.append(
                {
                    "project_id": c.project_id,
                    "project": c.project.name,
                    "kind": c.kind,
                    "kind_label": KIND_LABELS[c.kind],
                    "kept": bool(on and on <= end),
                    "on": on,
                }
            )
        return found


class ReportIn(Input):
    achievements: str = Field(..., description="工作成效")
    shortfalls: str = Field(..., description="问题和不足")
    causes: str = Field(..., description="原因分析")
    plan: str = Field(..., description="下月计划")
    sign: list[RecordId] = Field([], description="承诺本月签约的项目编号（须为本产业链的项目）")
    land: list[RecordId] = Field([], description="承诺本月落地（开工）的项目编号（须为本产业链的项目）")
