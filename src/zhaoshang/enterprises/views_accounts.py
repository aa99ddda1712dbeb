"""Linking enterprise accounts (企业账号): the "关联企业账号" box of an enterprise's page, and the
"所属企业" box an administrator sees on a person's page (added to org's page through `org.panels`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action, Role
from zhaoshang.core.scoping import Principal
from zhaoshang.core.views_helpers import requires
from zhaoshang.enterprises import accounts, selectors
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org import selectors as org_selectors
from zhaoshang.org.models import User
from zhaoshang.org.panels import Panel


def awaits_enterprise(principal: Principal) -> bool:
    """An enterprise account no enterprise is linked to yet: its pages say whom to ask."""
    return Role.ENTERPRISE in principal.roles and not principal.enterprise_ids


def _refused(request: Request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def _linking(request: Request, enterprise: Enterprise, user: User) -> None:
    reason = request.POST.get("reason", "").strip()[:200]
    try:
        if request.POST.get("op") == "unlink":
            accounts.account_unlink(by=request.principal, enterprise=enterprise, user=user, reason=reason)
            messages.success(request, f"已解除 {user} 与 {enterprise.name} 的关联。")
        else:
            accounts.account_link(by=request.principal, enterprise=enterprise, user=user, reason=reason)
            messages.success(request, f"已关联：{user} 今后登录即可查看 {enterprise.name}。")
    except ValidationError as exc:
        _refused(request, exc)


def _picked_user(request: Request) -> User | None:
    value = request.POST.get("user", "")
    if not (value.isascii() and value.isdecimal() and len(value) <= 18):
        return None
    return User.objects.filter(pk=int(value)).first()


@require_POST
@requires(Action.MANAGE_ORG, Action.EDIT_BUSINESS)
def enterprise_accounts(request: Request, pk: int) -> HttpResponse:
    """Link or unlink an account on the enterprise's page."""
    enterprise = selectors.enterprise_for_page(request.principal, pk)
    user = _picked_user(request)
    if user is None:
        messages.error(request, "企业账号：请选择一个账号。")
    else:
        _linking(request, enterprise, user)
    return redirect("enterprise-detail", pk=enterprise.pk)


@require_POST
@requires(Action.MANAGE_ORG)
def account_enterprises(request: Request, pk: int) -> HttpResponse:
    """Link or unlink an enterprise on the person's page, the enterprise named by its code."""
    principal = request.principal
    user = org_selectors.user_for_page(principal, pk)
    try:
        if request.POST.get("op") == "unlink":
            enterprise = get_object_or_404(
                Enterprise.objects.visible_to(principal), pk=request.POST.get("enterprise_id") or 0
            )
        else:
            enterprise = accounts.enterprise_by_code(principal, request.POST.get("enterprise", ""))
    except ValidationError as exc:
        _refused(request, exc)
    else:
        _linking(request, enterprise, user)
    return redirect("user-detail", pk=user.pk)


def enterprise_box(request: Request, enterprise: Enterprise) -> dict[str, object] | None:
    """The enterprise page's box: its accounts, and for those who may, the picker."""
    principal = request.principal
    if not accounts.may_link(principal, enterprise):
        return None
    return {
        "linked": list(accounts.linked_accounts(enterprise)),
        "choices": list(accounts.linkable_accounts(principal, enterprise)[:500]),
    }


def user_panel(request: Request, person: User) -> Panel | None:
    """On a person's page, for the administrator: the enterprises the account speaks for."""
    principal = request.principal
    if not principal.can(Action.MANAGE_ORG):
        return None
    roles = {m.role for m in person.memberships.all()}
    if roles - {Role.ENTERPRISE}:
        return None  # a staff account speaks for no enterprise
    linked = list(accounts.linked_enterprises(principal, person))
    return Panel(
        "enterprises/_account_panel.html",
        {"person": person, "linked": linked, "enterprise_role": bool(roles)},
    )
