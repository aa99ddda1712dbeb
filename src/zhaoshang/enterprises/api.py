"""Enterprise endpoints: the registry and its yearly figures, scoped like the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

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


class YearIn(Schema):
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


@router.get("/", response=list[EnterpriseOut], summary="企业列表（按权限范围）")
@paginate
def list_enterprises(
    request: HttpRequest, q: str = "", industry: str = "", scale: str = "", status: str = ""
) -> object:
    filters = {"q": q, "industry": industry, "scale": scale, "status": status}
    return selectors.enterprises_for_list(request.principal, filters)  # type: ignore[attr-defined]


@router.get("/{enterprise_id}", response=EnterpriseOut, summary="企业详情")
def get_enterprise(request: HttpRequest, enterprise_id: int) -> Enterprise:
    return selectors.enterprise_for_page(request.principal, enterprise_id)  # type: ignore[attr-defined]


@router.get("/{enterprise_id}/years", response=list[YearOut], summary="企业年度指标")
def list_years(request: HttpRequest, enterprise_id: int) -> list[EnterpriseYear]:
    return list(selectors.enterprise_for_page(request.principal, enterprise_id).years.all())  # type: ignore[attr-defined]


@router.put("/{enterprise_id}/years/{year}", response=YearOut, summary="录入或修改一个年度的指标")
def put_year(request: HttpRequest, enterprise_id: int, year: int, payload: YearIn) -> EnterpriseYear:
    principal = request.principal  # type: ignore[attr-defined]
    enterprise = selectors.enterprise_for_page(principal, enterprise_id)
    if not 1990 <= year <= 2100:
        raise HttpError(422, "年度应在 1990 至 2100 之间")
    try:
        return services.year_save(
            by=principal, enterprise=enterprise, year=year, data=payload.dict(exclude_unset=True)
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "您的角色无权修改此企业。") from exc
    except ValidationError as exc:
        raise HttpError(422, "；".join(exc.messages)) from exc
