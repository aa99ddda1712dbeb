"""Organisation endpoints: units and users, scoped exactly like the pages.

Refusals (PermissionDenied, ValidationError, Http404) are answered by the API's handlers
(`zhaoshang.core.api.errors`); every operation documents them with `responses(...)`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from zhaoshang.core.api.responses import responses
from zhaoshang.core.api.schemas import Input
from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.org import selectors, services
from zhaoshang.org.models import Unit

router = Router(tags=["org"])


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str = Field(..., alias="kind.code")
    kind_name: str = Field(..., alias="kind.name")
    parent_id: int | None
    depth: int
    contact_person: str
    phone: str
    address: str
    is_active: bool
    version: int


class UnitProfileIn(Input):
    """What changes (an absent or null field stays as it is), and the `version` it was read at."""

    version: int = Field(..., ge=1, description="读取单位时得到的版本号：已被他人修改则答 409")
    short_name: str | None = None
    contact_person: str | None = None
    phone: str | None = None
    address: str | None = None
    description: str | None = None
    reason: str = ""


class MembershipOut(Schema):
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    role: str


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    title: str
    is_active: bool
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_memberships(obj: object) -> list[object]:
        return list(obj.memberships.all())  # type: ignore[attr-defined]


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    roles: list[str]
    unit_ids: list[int]


def _reader(request: Request) -> Principal:
    """The organisation is for the roles that work with it; enterprise users are refused (403)."""
    principal = request.principal
    if not principal.can(Action.VIEW_ORG):
        raise PermissionDenied("您的角色无权查看组织机构。")
    return principal


@router.get("/me", response=responses(MeOut), summary="当前用户")
def me(request: Request) -> dict[str, object]:
    principal = request.principal
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(principal.roles),
        "unit_ids": sorted(principal.unit_ids),
    }


@router.get("/units", response=responses(list[UnitOut]), summary="单位列表（按权限范围）")
@paginate
def list_units(request: Request, q: str = "", kind: str = "") -> object:
    units = selectors.units_for_list(_reader(request), {"q": q})
    return units.filter(kind__code=kind) if kind else units


@router.get("/units/{unit_id}", response=responses(UnitOut), summary="单位详情")
def get_unit(request: Request, unit_id: int) -> Unit:
    return selectors.unit_for_page(_reader(request), unit_id)


@router.patch("/units/{unit_id}", response=responses(UnitOut, stale=True), summary="修改单位联系信息")
def update_unit(request: Request, unit_id: int, payload: UnitProfileIn) -> Unit:
    principal = _reader(request)
    unit = selectors.unit_for_page(principal, unit_id)
    # An explicit null means "leave as is": the fields are text, never missing.
    given = payload.dict(exclude_unset=True, exclude={"reason", "version"})
    data = {k: v for k, v in given.items() if v is not None}
    services.unit_update_profile(
        by=principal, unit=unit, data=data, reason=payload.reason, version=payload.version
    )
    return get_object_or_404(Unit.objects.select_related("kind"), pk=unit.pk)


@router.get("/users", response=responses(list[UserOut]), summary="用户列表（按权限范围）")
@paginate
def list_users(request: Request, q: str = "") -> object:
    return selectors.users_for_list(_reader(request), {"q": q})


@router.get("/users/{user_id}", response=responses(UserOut), summary="用户详情")
def get_user(request: Request, user_id: int) -> object:
    return selectors.user_for_page(_reader(request), user_id)
