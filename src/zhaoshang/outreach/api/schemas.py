"""What the outreach endpoints take and give: amounts as Decimal strings in 万元, labels in Chinese,
phones as the reader may see them (`selectors.contact_phone`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from zhaoshang.core.api.schemas import Input
from zhaoshang.outreach import selectors
from zhaoshang.outreach.models import (
    CLAIM_STATUSES,
    CONTACT_KINDS,
    ENCOUNTER_KINDS,
    EVENT_KINDS,
    EVENT_ROLES,
    REGIONS,
    Contact,
    Event,
    EventProject,
    InvestorVisit,
    ReferrerClaim,
    Trip,
)
from zhaoshang.projects.engines.lifecycle import STAGE_LABELS, Stage
from zhaoshang.projects.models import Project

KIND_LABELS, REGION_LABELS, ENCOUNTER_LABELS = dict(CONTACT_KINDS), dict(REGIONS), dict(ENCOUNTER_KINDS)
EVENT_LABELS, ROLE_LABELS, CLAIM_LABELS = dict(EVENT_KINDS), dict(EVENT_ROLES), dict(CLAIM_STATUSES)
# A record's id: a positive integer the database's columns hold.
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Money = Annotated[Decimal, Field(max_digits=16, decimal_places=4)]
Region = Literal["yangtze", "bohai", "pearl", "chengyu", "other"]
Category = Literal["chamber", "association", "agent", "hometown", "investor", "decision_maker", "person"]
ClaimState = Literal["claimed", "verified", "recognised", "refused"]
# A contact's history of meetings: the latest ones.
ENCOUNTERS_LISTED = 100


class Named(Schema):
    id: int
    name: str


def _name(obj: Any) -> str | None:
    return str(obj) if obj is not None else None


class ContactOut(Schema):
    id: int
    county_id: int
    kind: str = Field(..., description="类别：chamber 商会、association 行业协会、agent 中介机构 …")
    kind_label: str
    name: str
    organisation: str
    home_town: str = Field(..., description="家乡（乡镇）：乡友企业家")
    based_in: str = Field(..., description="现在所在地")
    region: str
    region_label: str
    industry: str
    phone: str = Field(
        ..., description="联系电话：不负责联系该对象的角色看到的是遮蔽后的号码，如 139****6130"
    )
    keeper_unit_id: int
    keeper_unit: str = Field(..., alias="keeper_unit.name")
    keeper_leader_id: int | None
    keeper_leader: str | None
    linked_units: list[Named] = Field(..., description="挂钩联系单位")
    note: str
    active: bool
    version: int

    @staticmethod
    def resolve_kind_label(obj: Contact) -> str:
        return KIND_LABELS[obj.kind]

    @staticmethod
    def resolve_region_label(obj: Contact) -> str:
        return REGION_LABELS[obj.region]

    @staticmethod
    def resolve_phone(obj: Contact, context: dict[str, Any]) -> str:
        return selectors.contact_phone(context["request"].principal, obj)

    @staticmethod
    def resolve_keeper_leader(obj: Contact) -> str | None:
        return _name(obj.keeper_leader)

    @staticmethod
    def resolve_linked_units(obj: Contact) -> list[dict[str, Any]]:
        return [{"id": u.pk, "name": u.name} for u in obj.linked_units.all()]


class EncounterOut(Schema):
    on: dt.date
    kind: str
    kind_label: str
    unit_id: int
    unit: str
    summary: str


class ContactDetailOut(ContactOut):
    encounters: list[EncounterOut] = Field(..., description=f"联络记录（最近 {ENCOUNTERS_LISTED} 条）")

    @staticmethod
    def resolve_encounters(obj: Contact) -> list[dict[str, Any]]:
        met = obj.encounters.select_related("unit").order_by("-on", "-pk")[:ENCOUNTERS_LISTED]
        return [
            {
                "on": e.on,
                "kind": e.kind,
                "kind_label": ENCOUNTER_LABELS[e.kind],
                "unit_id": e.unit_id,
                "unit": e.unit.name,
                "summary": e.summary,
            }
            for e in met
        ]


class TripOut(Schema):
    id: int
    county_id: int
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    leader_id: int | None = Field(..., description="带队领导")
    leader: str | None
    starts_on: dt.date
    ends_on: dt.date
    region: str
    region_label: str
    destination: str
    purpose: str
    cost: Decimal | None = Field(..., description="费用（万元）")
    summary: str
    version: int

    @staticmethod
    def resolve_leader(obj: Trip) -> str | None:
        return _name(obj.leader)

    @staticmethod
    def resolve_region_label(obj: Trip) -> str:
        return REGION_LABELS[obj.region]


class TripDetailOut(TripOut):
    members: list[Named] = Field(..., description="成员")
    contacts: list[Named] = Field(..., description="会见的联络对象")
    companies_met: list[str] = Field(..., description="对接的企业")
    leads: list[Named] = Field(..., description="由本次外出招商引来的项目（您可见的）")

    @staticmethod
    def resolve_members(obj: Trip) -> list[dict[str, Any]]:
        return [{"id": u.pk, "name": str(u)} for u in obj.members.order_by("pk")]

    @staticmethod
    def resolve_contacts(obj: Trip) -> list[dict[str, Any]]:
        return [{"id": c.pk, "name": c.name} for c in obj.contacts.order_by("name", "pk")]

    @staticmethod
    def resolve_companies_met(obj: Trip) -> list[str]:
        return [line.strip() for line in obj.companies_met.splitlines() if line.strip()]

    @staticmethod
    def resolve_leads(obj: Trip, context: dict[str, Any]) -> list[dict[str, Any]]:
        seen = Project.objects.visible_to(context["request"].principal).filter(origin__trip=obj)
        return list(seen.order_by("name", "pk").values("id", "name"))


class VisitOut(Schema):
    id: int
    county_id: int
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    on: dt.date
    company: str
    visitors: str
    sites: str
    leader_id: int | None = Field(..., description="陪同县领导")
    leader: str | None
    contact_id: int | None = Field(..., description="引荐的联络对象")
    contact: str | None
    outcome: str
    project_id: int | None = Field(..., description="所属项目（您可见时）")
    project: str | None
    version: int

    @staticmethod
    def resolve_leader(obj: InvestorVisit) -> str | None:
        return _name(obj.leader)

    @staticmethod
    def resolve_contact(obj: InvestorVisit) -> str | None:
        return obj.contact.name if obj.contact else None

    @staticmethod
    def resolve_project_id(obj: InvestorVisit) -> int | None:
        return obj.project_id if getattr(obj, "project_seen", False) else None

    @staticmethod
    def resolve_project(obj: InvestorVisit) -> str | None:
        return obj.project.name if obj.project and getattr(obj, "project_seen", False) else None


class VisitDetailOut(VisitOut):
    hosts: list[Named] = Field(..., description="接待人员")

    @staticmethod
    def resolve_hosts(obj: InvestorVisit) -> list[dict[str, Any]]:
        return [{"id": u.pk, "name": str(u)} for u in obj.hosts.order_by("pk")]


class EventOut(Schema):
    id: int
    county_id: int
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    kind: str
    kind_label: str
    name: str
    on: dt.date
    place: str
    note: str
    project_count: int = Field(..., description="在活动上签约、开工、竣工的项目数")
    version: int

    @staticmethod
    def resolve_kind_label(obj: Event) -> str:
        return EVENT_LABELS[obj.kind]


class EventProjectOut(Schema):
    project_id: int
    project: str
    role: str = Field(..., description="signed 签约、started 开工、completed 竣工")
    role_label: str
    amount: Decimal | None = Field(..., description="签约金额（万元）")
    stage: str = Field(..., description="项目今天所处的阶段")
    stage_label: str


class EventDetailOut(EventOut):
    projects: list[EventProjectOut] = Field(..., description="在活动上签约、开工的项目（您可见的），逐项跟踪")

    @staticmethod
    def resolve_projects(obj: Event, context: dict[str, Any]) -> list[dict[str, Any]]:
        seen = Project.objects.visible_to(context["request"].principal).values("pk")
        rows = (
            EventProject.objects.filter(event=obj, project__in=seen)
            .select_related("project")
            .order_by("role", "project__name", "pk")
        )
        return [
            {
                "project_id": r.project_id,
                "project": r.project.name,
                "role": r.role,
                "role_label": ROLE_LABELS[r.role],
                "amount": r.amount,
                "stage": r.project.stage,
                "stage_label": str(STAGE_LABELS[Stage(r.project.stage)]),
            }
            for r in rows
        ]


class ClaimOut(Schema):
    id: int
    project_id: int
    project: str = Field(..., alias="project.name")
    referrer_id: int = Field(..., description="引资人（登记的联络对象）")
    referrer: str = Field(..., alias="referrer.name")
    claimant_unit_id: int
    claimant_unit: str = Field(..., alias="claimant_unit.name")
    claimed_on: dt.date
    evidence: str
    status: str
    status_label: str
    decided_by: str | None = Field(..., description="经办人")
    decided_on: dt.date | None
    reason: str
    version: int

    @staticmethod
    def resolve_status_label(obj: ReferrerClaim) -> str:
        return CLAIM_LABELS[obj.status]

    @staticmethod
    def resolve_decided_by(obj: ReferrerClaim) -> str | None:
        return _name(obj.decided_by)


class TripIn(Input):
    unit_id: RecordId = Field(..., description="组织单位")
    leader_id: RecordId | None = Field(None, description="带队领导（本县县级领导）")
    starts_on: dt.date = Field(..., description="出发日期")
    ends_on: dt.date = Field(..., description="返回日期")
    region: Region = Field(
        ..., description="目的区域：yangtze 长三角、bohai 环渤海、pearl 泛珠三角、chengyu 成渝、other 其他"
    )
    destination: str = Field(..., max_length=60, description="目的地")
    purpose: str = Field(..., max_length=200, description="主要任务")
    member_ids: list[RecordId] = Field([], max_length=100, description="成员（本县各单位工作人员）")
    contact_ids: list[RecordId] = Field([], max_length=100, description="会见的联络对象")
    companies_met: str = Field("", max_length=2000, description="对接的企业，每行一家")
    cost: Money | None = Field(None, description="费用（万元）")
    summary: str = Field("", max_length=2000, description="成效")


class VisitIn(Input):
    unit_id: RecordId = Field(..., description="接待单位")
    on: dt.date = Field(..., description="来访日期")
    company: str = Field(..., max_length=200, description="来访企业")
    visitors: str = Field(..., max_length=200, description="来访人员")
    sites: str = Field("", max_length=300, description="考察地点")
    host_ids: list[RecordId] = Field([], max_length=100, description="接待人员")
    leader_id: RecordId | None = Field(None, description="陪同县领导")
    contact_id: RecordId | None = Field(None, description="引荐的联络对象")
    outcome: str = Field("", max_length=2000, description="成果")
    project_id: RecordId | None = Field(None, description="所属项目")
