"""The user's own account security: the forced password change, two-factor set-up and the code
asked for after the password (等保 身份鉴别 a, d)."""

from __future__ import annotations

import secrets
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhaoshang.core.http import Request
from zhaoshang.org import services, services_security, sessions
from zhaoshang.org.forms import AccountPasswordForm, TokenForm
from zhaoshang.org.models import UserSession

PENDING_KEY = "zs_totp_pending"


def change_own_password(request: Request, form: AccountPasswordForm) -> None:
    """Save a valid change: other sessions end, tokens are revoked, this session goes on."""
    user = request.user
    old_key = request.session.session_key
    services.user_set_password(
        by=request.principal, user=user, password=form.cleaned_data["new_password1"], keep_session=old_key
    )
    update_session_auth_hash(request, user)  # a new session key, still logged in
    UserSession.objects.filter(session_key=old_key).delete()
    sessions.register(request, user)
    request.session[sessions.PASSWORD] = ""


def password_change(request: Request) -> HttpResponse:
    reason = request.session.get(sessions.PASSWORD, "")
    form = AccountPasswordForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            change_own_password(request, form)
        except ValidationError as exc:
            form.add_error("new_password2", exc.messages)
        else:
            messages.success(request, "密码已修改。")
            return redirect("home")
    return render(request, "registration/password_change.html", {"form": form, "reason": reason})


def _next(request: Request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def two_factor(request: Request) -> HttpResponse:
    """Set up an authenticator app: a QR code drawn here (no image from elsewhere), then one code
    of the app to confirm, then ten recovery codes shown once."""
    user = request.user
    if user_has_device(user):
        remaining = StaticToken.objects.filter(device__in=StaticDevice.objects.filter(user=user)).count()
        return render(request, "registration/two_factor.html", {"enabled": True, "remaining": remaining})
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = secrets.token_hex(20)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services_security.two_factor_enrol(
                by=request.principal, user=user, key_hex=key, token=form.cleaned_data["token"]
            )
        except ValidationError as exc:
            form.add_error("token", exc.messages)
        else:
            del request.session[PENDING_KEY]
            otp_login(request, device)
            request.session[sessions.SECOND_FACTOR] = ""
            return render(request, "registration/two_factor_codes.html", {"codes": codes})
    device = TOTPDevice(user=user, key=key, name="验证器应用")
    qr = segno.make(device.config_url, error="m")
    context = {
        "enabled": False,
        "form": form,
        # Inline SVG drawn here from our own data: no image request, nothing for a CSP to allow.
        "qr": mark_safe(qr.svg_inline(scale=5, border=2, title="两步验证二维码")),  # noqa: S308
        "secret": b32encode(bytes.fromhex(key)).decode(),
        "required": sessions.second_factor_required(user),
    }
    return render(request, "registration/two_factor.html", context)


def two_factor_verify(request: Request) -> HttpResponse:
    """The code asked for after the password. Wrong codes count as failed log-ins (throttled)."""
    if request.session.get(sessions.SECOND_FACTOR) != "verify":
        return redirect(_next(request))
    user = request.user
    credentials = {"username": user.get_username()}
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not AxesProxyHandler.is_allowed(request, credentials):
            logout(request)
            messages.error(request, AccountPasswordForm.LOCKED)
            return redirect("login")
        device = match_token(user, form.cleaned_data["token"].strip().replace(" ", ""))
        if device is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error("token", "验证码不正确或已使用过，请重新输入。")
        else:
            if isinstance(device, StaticDevice):
                services_security.recovery_code_used(user)
                messages.warning(request, "已使用一个恢复码：每个恢复码只能用一次。")
            otp_login(request, device)
            request.session[sessions.SECOND_FACTOR] = ""
            return redirect(_next(request))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})
