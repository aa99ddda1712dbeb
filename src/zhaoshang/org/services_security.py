"""Audited writes of account security: an administrator's password reset, two-factor set-up and
reset, lifting a log-in lock. Secrets (passwords, device keys, recovery codes) never enter an event."""

from __future__ import annotations

import secrets
import string

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.org import lockout, sessions
from zhaoshang.org.models import User
from zhaoshang.org.services import guard_oversight_account, tokens_revoke_all

RECOVERY_CODES = 10
_ALPHABET = string.ascii_letters + string.digits


def temporary_password() -> str:
    """Random, with all four kinds of character, so it passes every password rule."""
    core = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{secrets.choice(string.ascii_uppercase)}{secrets.choice(string.ascii_lowercase)}{core}-{secrets.randbelow(10)}"


def user_reset_password(*, by: Principal, user: User, reason: str) -> str:
    """Gives the user a temporary password they must change at their next log-in; their sessions
    end and their API tokens are revoked. Returns the temporary password (shown once)."""
    require(by, Action.MANAGE_ORG)
    guard_oversight_account(by, user)
    if not reason.strip():
        raise ValidationError({"reason": "原因：重置密码必须填写原因。"})
    if by.user_id == user.pk:
        raise ValidationError("不能重置自己的密码：请在“我的账号”中修改。")
    password = temporary_password()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit.record(
            AuditEvent.Action.UPDATE,
            user,
            after={"password": "（已重置）", "must_change_password": True},
            reason=reason,
        )
        tokens_revoke_all(by=by, user=user, reason="管理员重置密码后吊销")
        sessions.end_all(user)
    return password


def totp_matches(key_hex: str, token: str) -> bool:
    token = token.strip().replace(" ", "")
    if not (token.isascii() and token.isdigit() and len(token) == 6):
        return False
    return bool(TOTP(bytes.fromhex(key_hex), step=30, digits=6).verify(int(token), tolerance=1))


def two_factor_enrol(*, by: Principal, user: User, key_hex: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirms the authenticator app by one code of it and gives ten one-time recovery codes,
    replacing any earlier device. Returns the device and the codes (shown once)."""
    if by.user_id != user.pk:
        raise PermissionDenied("只能为自己的账号设置两步验证。")
    if not totp_matches(key_hex, token):
        raise ValidationError({"token": "验证码：与验证器应用显示的不符，请输入当前的 6 位数字。"})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        # The code just used cannot be used again to log in (ASVS 6.5.1: single use).
        last_t = TOTP(bytes.fromhex(key_hex), step=30, digits=6).t()
        device = TOTPDevice.objects.create(
            user=user, name="验证器应用", key=key_hex, confirmed=True, last_t=last_t
        )
        static = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
        audit.record(
            AuditEvent.Action.UPDATE,
            user,
            after={"two_factor": "已启用"},
            reason=f"启用两步验证（验证器应用，{RECOVERY_CODES} 个恢复码）",
        )
    return device, codes


def two_factor_reset(*, by: Principal, user: User, reason: str) -> int:
    """Removes the user's devices (a lost phone): they log in with the password and set up anew
    (where their role requires it). Their sessions end."""
    require(by, Action.MANAGE_ORG)
    guard_oversight_account(by, user)
    if not reason.strip():
        raise ValidationError({"reason": "原因：重置两步验证必须填写原因。"})
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        StaticDevice.objects.filter(user=user).delete()
        audit.record(AuditEvent.Action.UPDATE, user, after={"two_factor": "已重置"}, reason=reason)
        sessions.end_all(user)
    return removed


def recovery_code_used(user: User) -> None:
    audit.record(AuditEvent.Action.UPDATE, user, actor=user, reason="使用一个恢复码完成两步验证")


def lockout_lift(
    *, by: Principal, kind: str, username: str | None, ip_address: str | None, reason: str = ""
) -> int:
    """Lifts one lock of the 登录锁定 page: its failures are deleted, and the lift is audited."""
    require(by, Action.MANAGE_ORG, Action.VIEW_SECURITY)
    if kind not in lockout.GROUPS:
        raise ValidationError("无此类锁定。")
    locked = User.objects.filter(username=username).first() if username else None
    if locked is not None:
        guard_oversight_account(by, locked)
    with transaction.atomic():
        attempts = lockout.attempts_of(kind, username, ip_address)
        failures = sum(attempts.values_list("failures_since_start", flat=True))
        count = attempts.delete()[0]
        if count:
            parts = [
                p
                for p in (f"账号 {username}" if username else "", f"地址 {ip_address}" if ip_address else "")
                if p
            ]
            audit.record(
                AuditEvent.Action.DELETE,
                target_type="axes.accessattempt",
                target_repr=f"登录锁定：{'，'.join(parts)}"[:200],
                before={
                    "kind": lockout.KIND_LABELS[kind],
                    "account": username,
                    "address": ip_address,
                    "count": failures,
                },
                reason=reason or f"解除登录锁定（{lockout.KIND_LABELS[kind]}）",
            )
    return count
