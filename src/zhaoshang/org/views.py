from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from zhaoshang.core.exports import export_response, export_sheet, wants_export
from zhaoshang.core.http import Request
from zhaoshang.core.lists import render_list
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import Column
from zhaoshang.core.versioning import StaleEdit
from zhaoshang.core.views_helpers import requires
from zhaoshang.org import lockout, selectors, services
from zhaoshang.org.filters import UnitFilter, UserFilter
from zhaoshang.org.forms import (
    AccountPasswordForm,
    MembershipForm,
    ReasonForm,
    UnitCreateForm,
    UnitProfileForm,
    UserCreateForm,
)
from zhaoshang.org.models import ApiToken, Membership, Unit
from zhaoshang.org.panels import user_panels
from zhaoshang.org.views_security import change_own_password


def _add_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's validation errors on the form, so the page shows them beside what was typed."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


UNIT_SHEET = export_sheet(
    "单位",
    [
        Column("name", "名称", width=28),
        Column("kind", "类型"),
        Column("parent", "上级单位", width=24),
        Column("contact_person", "联系人"),
        Column("phone", "电话"),
        Column("address", "地址", width=30),
        Column("members", "人员", kind="int"),
        Column("active", "在用", kind="bool"),
    ],
)
USER_SHEET = export_sheet(
    "人员",
    [
        Column("username", "用户名"),
        Column("name", "名称"),
        Column("title", "职务"),
        Column("roles", "单位与角色", width=40),
        Column("active", "启用", kind="bool"),
    ],
)


@requires(Action.VIEW_ORG)
def unit_list(request: Request) -> HttpResponse:
    listing = UnitFilter.for_request(request)
    if wants_export(request):
        records = (
            {
                "name": u.name,
                "kind": u.kind.name,
                "parent": u.parent.name if u.parent else "",
                "contact_person": u.contact_person,
                "phone": u.phone,
                "address": u.address,
                "members": u.member_count,
                "active": u.is_active,
            }
            for u in listing.qs
        )
        return export_response(
            request, sheet=UNIT_SHEET, records=records, applied=listing.applied(), target_type="org.unit"
        )
    context = {"can_manage": request.principal.can(Action.MANAGE_ORG)}
    return render_list(request, "org/unit_list.html", "org/_unit_table.html", listing, context)


@requires(Action.VIEW_ORG)
def unit_detail(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    unit = selectors.unit_for_page(principal, pk)
    context = {
        "unit": unit,
        "members": selectors.unit_members(unit),
        "children": selectors.unit_children(principal, unit),
        "history": selectors.record_history(principal, unit),
        "can_edit": selectors.can_edit_unit(principal, unit),
        "can_manage": principal.can(Action.MANAGE_ORG),
    }
    return render(request, "org/unit_detail.html", context)


@requires(Action.EDIT_UNIT_PROFILE)
def unit_edit(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    unit = selectors.unit_for_page(principal, pk)
    if not selectors.can_edit_unit(principal, unit):
        raise PermissionDenied("该记录属于您职责范围以外的单位。")
    form = UnitProfileForm(request.POST or None, instance=Unit.objects.get(pk=unit.pk))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.UNIT_PROFILE_FIELDS}
        try:
            changed = services.unit_update_profile(
                by=principal,
                unit=unit,
                data=data,
                reason=form.cleaned_data["reason"],
                version=form.read_version,
            )
        except StaleEdit as exc:
            form.refused_as_stale(exc)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已保存：修改了 {len(changed)} 个字段。")
            return redirect("unit-detail", pk=unit.pk)
    return render(request, "org/unit_edit.html", {"unit": unit, "form": form})


@requires(Action.MANAGE_ORG)
def unit_create(request: Request) -> HttpResponse:
    principal = request.principal
    form = UnitCreateForm(
        request.POST or None,
        parents=selectors.units_choosable(principal),
        initial={"parent": request.GET.get("parent")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(by=principal, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已新建单位 {unit.name}。")
            return redirect("unit-detail", pk=unit.pk)
    return render(request, "org/unit_create.html", {"form": form})


def can_see_locks(principal: Principal) -> bool:
    return principal.can(Action.MANAGE_ORG) or principal.can(Action.VIEW_SECURITY)


@requires(Action.VIEW_ORG)
def user_list(request: Request) -> HttpResponse:
    listing = UserFilter.for_request(request)
    if wants_export(request):
        records = (
            {
                "username": u.username,
                "name": u.display_name,
                "title": u.title,
                "roles": "；".join(f"{m.unit.name}·{m.get_role_display()}" for m in u.memberships.all()),
                "active": u.is_active,
            }
            for u in listing.qs
        )
        return export_response(
            request, sheet=USER_SHEET, records=records, applied=listing.applied(), target_type="org.user"
        )
    principal = request.principal
    context = {
        "can_manage": principal.can(Action.MANAGE_ORG),
        "can_see_locks": can_see_locks(principal),
    }
    return render_list(request, "org/user_list.html", "org/_user_table.html", listing, context)


@requires(Action.VIEW_ORG)
def user_detail(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    person = selectors.user_for_page(principal, pk)
    can_grant = principal.can(Action.MANAGE_ROLES) and person.pk != request.user.pk
    # A security administrator's or an auditor's account is not the system administrator's to manage.
    can_manage = principal.can(Action.MANAGE_ORG) and not services.holds_oversight_role(person)
    context = {
        "person": person,
        "history": selectors.record_history(principal, person),
        "can_manage": can_manage,
        "can_grant": can_grant,
        "membership_form": MembershipForm(units=selectors.units_choosable(principal)) if can_grant else None,
        "has_two_factor": can_manage and user_has_device(person),
        "reason_form": ReasonForm(),
        "panels": user_panels(request, person),
        "locks": lockout.locks_of(person.username) if can_see_locks(principal) else [],
    }
    return render(request, "org/user_detail.html", context)


@requires(Action.MANAGE_ORG)
def user_create(request: Request) -> HttpResponse:
    principal = request.principal
    with_role = principal.can(Action.MANAGE_ROLES)
    form = UserCreateForm(
        request.POST or None, units=selectors.units_choosable(principal), with_role=with_role
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.user_create(
                by=principal,
                username=data["username"],
                password=data["password"],
                display_name=data["display_name"],
                title=data["title"],
                phone=data["phone"],
                email=data["email"],
            )
            if with_role:
                services.membership_add(by=principal, user=person, unit=data["unit"], role=data["role"])
            else:
                services.account_awaits_role(person)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                f"已新建用户 {person}。" if with_role else f"已新建用户 {person}，待安全管理员分配角色。",
            )
            return redirect("user-detail", pk=person.pk)
    return render(request, "org/user_create.html", {"form": form})


@require_POST
@requires(Action.MANAGE_ROLES)
def membership_add(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    person = selectors.user_for_page(principal, pk)
    form = MembershipForm(request.POST, units=selectors.units_choosable(principal))
    if form.is_valid():
        try:
            services.membership_add(by=principal, user=person, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已添加角色。")
    else:
        messages.error(request, "请选择单位和角色。")
    return redirect("user-detail", pk=person.pk)


@require_POST
@requires(Action.MANAGE_ROLES)
def membership_remove(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    membership = get_object_or_404(Membership.objects.visible_to(principal), pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.membership_remove(by=principal, membership=membership, reason=form.cleaned_data["reason"])
        messages.success(request, "已移除角色。")
    else:
        messages.error(request, "原因：移除角色必须填写原因。")
    return redirect("user-detail", pk=membership.user_id)


@require_POST
@requires(Action.MANAGE_ORG)
def user_toggle_active(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    person = selectors.user_for_page(principal, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "原因：停用或启用账号必须填写原因。")
        return redirect("user-detail", pk=person.pk)
    try:
        services.user_set_active(
            by=principal, user=person, active=not person.is_active, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "账号已启用。" if person.is_active else "账号已停用。")
    return redirect("user-detail", pk=person.pk)


def account(request: Request) -> HttpResponse:
    principal = request.principal
    posted = request.POST.get("form") if request.method == "POST" else None
    form = AccountPasswordForm(request.user, request.POST if posted == "password" else None, request=request)
    new_token = None
    if request.method == "POST" and request.POST.get("form") == "password" and form.is_valid():
        try:
            change_own_password(request, form)
        except ValidationError as exc:
            form.add_error("new_password2", exc.messages)
        else:
            messages.success(request, "密码已修改。其他会话已结束，API 令牌已吊销。")
            return redirect("account")
    if request.method == "POST" and request.POST.get("form") == "token":
        name = request.POST.get("name", "").strip()[:60] or "API 令牌"
        _token, new_token = services.token_create(by=principal, user=request.user, name=name)
        messages.success(request, "令牌已创建。请立即复制：令牌只显示这一次。")
    if request.method == "POST" and request.POST.get("form") == "revoke":
        token_id = request.POST.get("token", "")
        if not (token_id.isascii() and token_id.isdecimal() and len(token_id) <= 18):
            raise Http404
        token = get_object_or_404(ApiToken, pk=int(token_id), user=request.user)
        services.token_revoke(by=principal, token=token)
        messages.success(request, "令牌已吊销。")
        return redirect("account")
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True).order_by("-created_at")
    return render(request, "org/account.html", {"form": form, "tokens": tokens, "new_token": new_token})
