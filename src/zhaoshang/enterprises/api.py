"""Enterprise endpoints: the registry and its yearly figures, scoped like the pages.

Amounts (万元) and land (亩) are Decimal in and out: the JSON carries them as strings with the
stored 4 decimals ("12.5000"), so nothing goes through a float. Refusals are answered by the
API's handlers (`zhaoshang.core.api.errors`) and documented with `responses(...)`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate

from zhaoshang.core.api.responses import responses
from zhaoshang.core.api.schemas import Input
from zhaoshang.core.http import Request
from zhaoshang.enterprises import selectors, services
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear

router = Router(tags=["enterprises"])


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    industry_code: str
    town_id: int
    town: str = Field(..., alias="town.name")
    park_id: int | None
    above_scale: bool
    status: str
    founded_on: dt.date | None
    land_owned_mu: Decimal | None
    land_leased_in_mu: Decimal | None
    land_leased_out_mu: Decimal | None
    qualifications: list[str]
    contact_person: str
    contact_phone: str = Field(
        ..., description="联系电话：不负责该企业的角色看到的是遮蔽后的号码，如 139****6130"
    )

    @staticmethod
    def resolve_contact_phone(obj: Enterprise, context: dict[str, Any]) -> str:
        return selectors.contact_phone(context["request"].principal, obj)

    @staticmethod
    def resolve_qualifications(obj: Enterprise) -> list[str]:
        return sorted(q.code for q in obj.qualifications.all())


class YearOut(Schema):
    year: int
    output_value: Decimal | None
    value_added: Decimal | None
    revenue: Decimal | None
    tax: Decimal | None
    energy_tce: Decimal | None
    electricity_10k_kwh: Decimal | None
    emission_equivalent: Decimal | None
    rd_spending: Decimal | None
    employees: int | None
    land_area_mu: Decimal | None
    scale_override: str = Field(description="规模人工认定：above 规上、below 规下，空为按主营业务收入判定")
    above_scale: bool | None = Field(description="该年度是否规上；缺少主营业务收入且未人工认定时为空")
    version: int


class YearIn(Input):
    """The figures given (absent ones stay as they are); to correct a year read first, its `version`."""

    version: int | None = Field(
        None, ge=1, description="改正已读取的年度指标时填读取到的版本号（已被他人修改则答 409）；首次录入不填"
    )
    output_value: Decimal | None = None
    value_added: Decimal | None = None
    revenue: Decimal | None = None
    tax: Decimal | None = None
    energy_tce: Decimal | None = None
    electricity_10k_kwh: Decimal | None = None
    emission_equivalent: Decimal | None = None
    rd_spending: Decimal | None = None
    employees: int | None = None
    land_area_mu: Decimal | None = None
    scale_override: str | None = Field(
        None, description="规模人工认定：above 规上、below 规下，空字符串为按主营业务收入判定"
    )
    reason: str = Field("", max_length=200, description="更正原因：修改已录入的年度指标时必填")


@router.get("/", response=responses(list[EnterpriseOut]), summary="企业列表（按权限范围）")
@paginate
def list_enterprises(
    request: Request, q: str = "", industry: str = "", scale: str = "", status: str = ""
) -> object:
    filters = {"q": q, "industry": industry, "scale": scale, "status": status}
    principal = request.principal
    return selectors.with_contacts(principal, selectors.enterprises_for_list(principal, filters))


@router.get("/{enterprise_id}", response=responses(EnterpriseOut), summary="企业详情")
def get_enterprise(request: Request, enterprise_id: int) -> Enterprise:
    return selectors.enterprise_for_page(request.principal, enterprise_id)


@router.get("/{enterprise_id}/years", response=responses(list[YearOut]), summary="企业年度指标")
def list_years(request: Request, enterprise_id: int) -> list[EnterpriseYear]:
    return list(selectors.enterprise_for_page(request.principal, enterprise_id).years.all())


@router.put(
    "/{enterprise_id}/years/{year}",
    response=responses(YearOut, stale=True),
    summary="录入或修改一个年度的指标",
)
def put_year(
    request: Request,
    enterprise_id: int,
    payload: YearIn,
    year: int = Path(..., ge=1990, le=2100, description="年度，1990 至 2100"),
) -> EnterpriseYear:
    principal = request.principal
    enterprise = selectors.enterprise_for_page(principal, enterprise_id)
    data = payload.dict(exclude_unset=True, exclude={"version", "reason"})
    return services.year_save(
        by=principal,
        enterprise=enterprise,
        year=year,
        data=data,
        reason=payload.reason,
        version=payload.version,
    )
