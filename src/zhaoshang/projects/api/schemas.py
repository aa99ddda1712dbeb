"""What the project endpoints take and give: money as Decimal strings in 万元, land in 亩."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from zhaoshang.projects.engines.lifecycle import STAGE_LABELS, Stage
from zhaoshang.projects.models import FollowUp, FundArrival, Project, StageMove


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class ProblemOut(Schema):
    field: str
    message: str


class RefusedOut(Schema):
    detail: str
    errors: list[ProblemOut]


class ProjectOut(Schema):
    id: int
    name: str
    investor_name: str
    investor_origin: str
    investor_rank: str
    channel: str
    referrer: str
    industry_code: str
    planned_investment: str | None
    contract_amount: str | None
    land_needed_mu: str | None
    land_area_mu: str | None
    promised_output: str | None
    promised_tax: str | None
    registered_capital: str | None
    funds_in_place: str
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

    @staticmethod
    def resolve_responsible_leader(obj: Project) -> str | None:
        return str(obj.responsible_leader) if obj.responsible_leader_id else None

    @staticmethod
    def resolve_stage_label(obj: Project) -> str:
        return STAGE_LABELS[Stage(obj.stage)]

    @staticmethod
    def resolve_funds_in_place(obj: Project) -> str:
        return str(obj.funds_in_place)

    # Resolvers per money field: pydantic would otherwise refuse a Decimal for a str field.
    @staticmethod
    def resolve_planned_investment(obj: Project) -> str | None:
        return _text(obj.planned_investment)

    @staticmethod
    def resolve_contract_amount(obj: Project) -> str | None:
        return _text(obj.contract_amount)

    @staticmethod
    def resolve_land_needed_mu(obj: Project) -> str | None:
        return _text(obj.land_needed_mu)

    @staticmethod
    def resolve_land_area_mu(obj: Project) -> str | None:
        return _text(obj.land_area_mu)

    @staticmethod
    def resolve_promised_output(obj: Project) -> str | None:
        return _text(obj.promised_output)

    @staticmethod
    def resolve_promised_tax(obj: Project) -> str | None:
        return _text(obj.promised_tax)

    @staticmethod
    def resolve_registered_capital(obj: Project) -> str | None:
        return _text(obj.registered_capital)


class ProjectIn(Schema):
    name: str
    investor_name: str
    investor_origin: str = ""
    investor_rank: str = ""
    channel: str
    referrer: str = ""
    industry_code: str = ""
    planned_investment: Decimal | None = None
    contract_amount: Decimal | None = None
    land_needed_mu: Decimal | None = None
    promised_output: Decimal | None = None
    promised_tax: Decimal | None = None
    registered_capital: Decimal | None = None
    promised_start: dt.date | None = None
    promised_production: dt.date | None = None
    town_id: int
    park_id: int | None = None
    lead_unit_id: int
    responsible_leader_id: int | None = None


class EvidenceIn(Schema):
    kind: str
    filename: str
    content_base64: str


class EvidenceOut(Schema):
    id: int
    kind: str
    filename: str
    size: int


class MoveIn(Schema):
    target: str
    on: dt.date
    opinion: str = ""
    contract_amount: Decimal | None = None
    land_area: Decimal | None = None
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


class FollowUpIn(Schema):
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


class FundIn(Schema):
    on: dt.date
    amount: Decimal
    source: str
    use: str
    currency: str = "CNY"
    foreign_amount: Decimal | None = None
    exchange_rate: Decimal | None = None
    rate_date: dt.date | None = None
    proof: EvidenceIn | None = None
    note: str = ""


class FundOut(Schema):
    id: int
    on: dt.date
    amount: str
    source: str
    use: str
    currency: str
    foreign_amount: str | None
    exchange_rate: str | None
    rate_date: dt.date | None
    proof: EvidenceOut | None
    note: str
    funds_in_place: str

    @staticmethod
    def resolve_amount(obj: FundArrival) -> str:
        return str(obj.amount)

    @staticmethod
    def resolve_foreign_amount(obj: FundArrival) -> str | None:
        return _text(obj.foreign_amount)

    @staticmethod
    def resolve_exchange_rate(obj: FundArrival) -> str | None:
        return _text(obj.exchange_rate)

    @staticmethod
    def resolve_funds_in_place(obj: FundArrival) -> str:
        return str(obj.project.funds_in_place)  # the running total after this arrival
