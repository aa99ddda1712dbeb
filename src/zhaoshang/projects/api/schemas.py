"""What the project endpoints take and give: money as Decimal in 万元, land in 亩.

Amounts are `Decimal` in and out: the JSON carries them as strings with the stored 4 decimals
("12000.5000"); input may be a string or a number, bounded like the column it goes to, so an amount
too long or too precise is refused field by field (422) before any service sees it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from zhaoshang.core.api.schemas import Input
from zhaoshang.projects.engines.lifecycle import STAGE_LABELS, Stage
from zhaoshang.projects.models import FollowUp, Project, StageMove

# The columns' bounds (`projects.models.MONEY`, `LAND`, the exchange rate).
Money = Annotated[Decimal, Field(max_digits=16, decimal_places=4)]
Land = Annotated[Decimal, Field(max_digits=12, decimal_places=4)]
Rate = Annotated[Decimal, Field(max_digits=12, decimal_places=6)]


class ProjectOut(Schema):
    id: int
    name: str
    investor_name: str
    investor_origin: str
    investor_rank: str
    project_type: str
    in_standard_building: bool
    channel: str
    referrer: str
    industry_code: str
    planned_investment: Decimal | None
    contract_amount: Decimal | None
    land_needed_mu: Decimal | None
    land_area_mu: Decimal | None
    promised_output: Decimal | None
    promised_tax: Decimal | None
    registered_capital: Decimal | None
    funds_in_place: Decimal
    promised_start: dt.date | None
    promised_production: dt.date | None
    town_id: int
    town: str = Field(..., alias="town.name")
    park_id: int | None
    lead_unit_id: int
    lead_unit: str = Field(..., alias="lead_unit.name")
    responsible_leader_id: int | None
    responsible_leader: str | None
    stage: str
    stage_label: str
    stage_since: dt.date
    review_decision: str
    signed_on: dt.date | None
    start_date: dt.date | None
    production_date: dt.date | None
    full_output_date: dt.date | None
    drop_reason: str
    last_follow_up: dt.date | None = None
    next_date: dt.date | None = None
    version: int

    @staticmethod
    def resolve_responsible_leader(obj: Project) -> str | None:
        return str(obj.responsible_leader) if obj.responsible_leader_id else None

    @staticmethod
    def resolve_stage_label(obj: Project) -> str:
        return STAGE_LABELS[Stage(obj.stage)]


class ProjectIn(Input):
    name: str
    investor_name: str
    investor_origin: str = ""
    investor_rank: str = ""
    project_type: str = ""
    in_standard_building: bool = Field(False, description="入驻标准厂房（不另行供地，免于 20 亩底线）")
    channel: str
    referrer: str = ""
    industry_code: str = ""
    planned_investment: Money | None = None
    contract_amount: Money | None = None
    land_needed_mu: Land | None = None
    promised_output: Money | None = None
    promised_tax: Money | None = None
    registered_capital: Money | None = None
    promised_start: dt.date | None = None
    promised_production: dt.date | None = None
    town_id: int
    park_id: int | None = None
    lead_unit_id: int
    responsible_leader_id: int | None = None


class ProjectPatch(Input):
    """What an update changes: only the fields given (a null text stays as it is), and the `version` read."""

    version: int = Field(..., ge=1, description="读取项目时得到的版本号：已被他人修改则答 409")
    name: str | None = None
    investor_name: str | None = None
    investor_origin: str | None = None
    investor_rank: str | None = None
    project_type: str | None = None
    in_standard_building: bool | None = None
    channel: str | None = None
    referrer: str | None = None
    industry_code: str | None = None
    description: str | None = None
    planned_investment: Money | None = None
    land_needed_mu: Land | None = None
    promised_output: Money | None = None
    promised_tax: Money | None = None
    registered_capital: Money | None = None
    promised_start: dt.date | None = None
    promised_production: dt.date | None = None
    town_id: int | None = None
    park_id: int | None = None
    lead_unit_id: int | None = None
    responsible_leader_id: int | None = None


# Fields of `ProjectPatch` that cannot be emptied to null (an explicit null leaves them as they are).
TEXTS = (
    "in_standard_building",
    "name",
    "investor_name",
    "investor_origin",
    "investor_rank",
    "project_type",
    "channel",
    "referrer",
    "industry_code",
    "description",
)


class EvidenceIn(Input):
    kind: str
    filename: str
    content_base64: str


class EvidenceOut(Schema):
    id: int
    kind: str
    filename: str
    size: int


class MoveIn(Input):
    target: str
    on: dt.date
    opinion: str = ""
    contract_amount: Money | None = None
    land_area: Land | None = None
    start_date: dt.date | None = None
    production_date: dt.date | None = None
    full_output_date: dt.date | None = None
    drop_reason: str = ""
    evidence: list[EvidenceIn] = []


class MoveOut(Schema):
    id: int
    source: str
    target: str
    on: dt.date
    by: str | None
    opinion: str
    supplied: dict[str, Any]
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_by(obj: StageMove) -> str | None:
        return str(obj.by) if obj.by_id else None

    @staticmethod
    def resolve_evidence(obj: StageMove) -> list[Any]:
        return list(obj.evidence.all())


class FollowUpIn(Input):
    on: dt.date
    what: str
    next_step: str = ""
    next_date: dt.date | None = None


class FollowUpOut(Schema):
    id: int
    on: dt.date
    by: str | None
    what: str
    next_step: str
    next_date: dt.date | None

    @staticmethod
    def resolve_by(obj: FollowUp) -> str | None:
        return str(obj.by) if obj.by_id else None


class FundIn(Input):
    on: dt.date
    amount: Money
    source: str
    use: str
    currency: str = "CNY"
    foreign_amount: Money | None = None
    exchange_rate: Rate | None = None
    rate_date: dt.date | None = None
    proof: EvidenceIn | None = None
    note: str = ""
    # Required when the arrival exceeds half the contract amount or takes the total above it.
    confirm_reason: str = ""


class FundOut(Schema):
    id: int
    on: dt.date
    amount: Decimal
    source: str
    use: str
    currency: str
    foreign_amount: Decimal | None
    exchange_rate: Decimal | None
    rate_date: dt.date | None
    proof: EvidenceOut | None
    note: str
    # The project's running total after this arrival.
    funds_in_place: Decimal = Field(..., alias="project.funds_in_place")
