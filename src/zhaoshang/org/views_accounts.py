"""The administrator's account pages: current log-in locks (and lifting one), resetting a user's
password or two-factor authentication. Every action is audited by its service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import requires
from zhaoshang.org import lockout, selectors, services_security
from zhaoshang.org.forms import ReasonForm


# The system administrator (who answers the locked-out user) and the security administrator (who
# watches for attacks) both see and lift locks; each lift is audited.
@requires(Action.MANAGE_ORG, Action.VIEW_SECURITY)
def lockout_list(request: Request) -> HttpResponse:
    context = {
        "locks": lockout.current_locks(),
        "limits": [(lockout.KIND_LABELS[k], lockout.limit_for(k)) for k in lockout.GROUPS],
    }
    return render(request, "org/lockout_list.html", context)


@require_POST
@requires(Action.MANAGE_ORG, Action.VIEW_SECURITY)
def lockout_lift(request: Request) -> HttpResponse:
    kind = request.POST.get("kind", "")
    username = request.POST.get("username") or None
    ip_address = request.POST.get("ip_address") or None
    reason = request.POST.get("reason", "").strip()[:200]
    try:
        count = services_security.lockout_lift(
            by=request.principal, kind=kind, username=username, ip_address=ip_address, reason=reason
        )
    except PermissionDenied as exc:  # an oversight account's lock: the security administrator's
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已解除锁定。" if count else "该锁定已不存在（可能已到期）。")
    person = request.POST.get("person", "")
    if person.isascii() and person.isdecimal() and len(person) <= 18:
        return redirect("user-detail", pk=int(person))  # lifted from the person's page
    return redirect("lockout-list")


@require_POST
@requires(Action.MANAGE_ORG)
def user_reset_password(request: Request, pk: int) -> HttpResponse:
    person = selectors.user_for_page(request.principal, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "原因：重置密码必须填写原因。")
        return redirect("user-detail", pk=person.pk)
    try:
        password = services_security.user_reset_password(
            by=request.principal, user=person, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("user-detail", pk=person.pk)
    # Shown on this answer only, never stored in a message or the session.
    return render(request, "org/user_password_reset.html", {"person": person, "password": password})


@require_POST
@requires(Action.MANAGE_ORG)
def user_reset_two_factor(request: Request, pk: int) -> HttpResponse:
    person = selectors.user_for_page(request.principal, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "原因：重置两步验证必须填写原因。")
        return redirect("user-detail", pk=person.pk)
    services_security.two_factor_reset(by=request.principal, user=person, reason=form.cleaned_data["reason"])
    messages.success(request, "已重置两步验证：该用户下次登录时重新设置。")
    return redirect("user-detail", pk=person.pk)
