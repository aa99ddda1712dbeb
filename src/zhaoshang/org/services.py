"""Every write to the organisation: units, users, memberships, leaders, API tokens. All audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core import audit, versioning
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require, require_in_scope
from zhaoshang.core.roles import OVERSIGHT_ROLES, Action, Role
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_delete, audited_update
from zhaoshang.org import sessions
from zhaoshang.org.models import PATH_STEP, ApiToken, Leader, Membership, Unit, UnitKind, User

# What the staff of a unit may change about it themselves.
UNIT_PROFILE_FIELDS = ("short_name", "contact_person", "phone", "address", "description")
USER_FIELDS = ("display_name", "email", "phone", "title")


def _segment(unit_id: int) -> str:
    return f"{unit_id:0{PATH_STEP - 1}d}/"


def _place(unit: Unit) -> None:
    """Derive path, depth and jurisdiction path from the parent (which must already be placed)."""
    parent = unit.parent
    unit.path = (parent.path if parent else "") + _segment(unit.pk)
    unit.depth = parent.depth + 1 if parent else 0
    if unit.kind.is_jurisdiction or parent is None:
        unit.jurisdiction_path = unit.path
    else:
        unit.jurisdiction_path = parent.jurisdiction_path


def guard_oversight_account(by: Principal, user: User) -> None:
    """A system administrator may not reset, switch off or issue tokens for a security administrator or
    an auditor: only another security administrator looks after those accounts (三权分立)."""
    if by.user_id == user.pk or by.can(Action.MANAGE_ROLES) or by.extra.get("system"):
        return
    if holds_oversight_role(user):
        raise PermissionDenied("安全管理员和审计员的账号只能由安全管理员管理。")


def holds_oversight_role(user: User) -> bool:
    return Membership.objects.filter(user=user, role__in=[r.value for r in OVERSIGHT_ROLES]).exists()


def unit_kind_create(
    *, by: Principal, code: str, name: str, is_jurisdiction: bool = False, sort_order: int = 100
) -> UnitKind:
    require(by, Action.MANAGE_ORG)
    kind = UnitKind(code=code, name=name, is_jurisdiction=is_jurisdiction, sort_order=sort_order)
    return audited_create(kind)


def unit_create(*, by: Principal, name: str, kind: UnitKind, parent: Unit | None, **fields: Any) -> Unit:
    require(by, Action.MANAGE_ORG)
    if parent is not None:
        require_in_scope(by, parent, Action.MANAGE_ORG)
    with transaction.atomic():
        unit = Unit(name=name, kind=kind, parent=parent, **fields)
        # The path needs the id, so the row is written first and placed right after.
        unit.path = unit.jurisdiction_path = "pending"
        unit.full_clean()
        unit.save(force_insert=True)
        _place(unit)
        unit.save(update_fields=["path", "depth", "jurisdiction_path"])
        audit.record(AuditEvent.Action.CREATE, unit, after=audit.snapshot(unit))
    return unit


def unit_update_profile(
    *, by: Principal, unit: Unit, data: dict[str, Any], reason: str = "", version: int | None = None
) -> list[str]:
    """Contact details and description: the unit's own staff may keep these up to date.

    `version` is the one the editor read: a save against an older one raises `StaleEdit`.
    """
    require(by, Action.EDIT_UNIT_PROFILE)
    require_in_scope(by, unit, Action.EDIT_UNIT_PROFILE)
    unknown = set(data) - set(UNIT_PROFILE_FIELDS)
    if unknown:
        raise ValidationError("以下字段不能在此修改：{}".format("、".join(sorted(unknown))))
    with versioning.editing(unit, version):
        return audited_update(unit, data, reason=reason)


def unit_move(*, by: Principal, unit: Unit, parent: Unit | None, reason: str = "") -> None:
    """Re-hang a unit and its subtree under another parent."""
    require(by, Action.MANAGE_ORG)
    require_in_scope(by, unit, Action.MANAGE_ORG)
    if parent is not None and (parent.pk == unit.pk or parent.path.startswith(unit.path)):
        raise ValidationError({"parent": "上级单位：不能把单位挂到它自己或它的下级单位之下。"})
    with transaction.atomic():
        before = audit.snapshot(unit, ["parent", "path"])
        unit.parent = parent
        _place(unit)
        unit.save(update_fields=["parent", "path", "depth", "jurisdiction_path"])
        for child in (
            Unit.objects.filter(path__startswith=before["path"]).exclude(pk=unit.pk).order_by("depth")
        ):
            child.parent = Unit.objects.get(pk=child.parent_id)
            _place(child)
            child.save(update_fields=["path", "depth", "jurisdiction_path"])
        old, new = audit.changes(before, audit.snapshot(unit, ["parent", "path"]))
        audit.record(AuditEvent.Action.UPDATE, unit, before=old, after=new, reason=reason)


def unit_set_active(*, by: Principal, unit: Unit, active: bool, reason: str) -> None:
    """Units are closed, never deleted: reports may have counted them."""
    require(by, Action.MANAGE_ORG)
    if not reason.strip():
        raise ValidationError({"reason": "原因：撤销或恢复单位必须填写原因。"})
    audited_update(unit, {"is_active": active}, reason=reason, action=AuditEvent.Action.TRANSITION)


def user_create(*, by: Principal, username: str, password: str, **fields: Any) -> User:
    require(by, Action.MANAGE_ORG)
    user = User(username=username, **{k: v for k, v in fields.items() if k in USER_FIELDS})
    validate_password(password, user)
    user.set_password(password)
    return audited_create(user)


def account_awaits_role(user: User) -> None:
    """A new account has no role until a security administrator grants one: tell them."""
    from zhaoshang.core import notifications

    notifications.notify_role(
        Role.SECURITY_ADMIN,
        kind="membership",
        title=f"新账号 {user} 待分配角色",
        link=f"/org/users/{user.pk}/",
        dedupe_key=f"account-awaits-role:{user.pk}",
    )


def user_update(*, by: Principal, user: User, data: dict[str, Any], reason: str = "") -> list[str]:
    if by.user_id != user.pk:
        require(by, Action.MANAGE_ORG)
    return audited_update(user, {k: v for k, v in data.items() if k in USER_FIELDS}, reason=reason)


def user_set_active(*, by: Principal, user: User, active: bool, reason: str) -> None:
    require(by, Action.MANAGE_ORG)
    guard_oversight_account(by, user)
    if by.user_id == user.pk and not active:
        raise ValidationError("不能停用自己的账号。")
    if not reason.strip():
        raise ValidationError({"reason": "原因：停用或启用账号必须填写原因。"})
    audited_update(user, {"is_active": active}, reason=reason, action=AuditEvent.Action.TRANSITION)


def user_set_password(
    *, by: Principal, user: User, password: str, reason: str = "", keep_session: str | None = None
) -> None:
    """The new password is validated and never written to the audit log, only the fact of the change.
    Every other session of the user ends and their API tokens are revoked (ASVS 7.4.3)."""
    if by.user_id != user.pk:
        require(by, Action.MANAGE_ORG)
        guard_oversight_account(by, user)
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit.record(
            AuditEvent.Action.UPDATE,
            user,
            after={"password": "（已更改）"},
            reason=reason or "已修改密码",
        )
        tokens_revoke_all(by=by, user=user, reason="修改密码后吊销")
        sessions.end_all(user, keep=keep_session)


def tokens_revoke_all(*, by: Principal, user: User, reason: str) -> int:
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        token_revoke(by=by, token=token, reason=reason)
    return len(tokens)


def _refuse_own_roles(by: Principal, user_id: int) -> None:
    if by.user_id is not None and by.user_id == user_id:
        raise PermissionDenied("不能修改自己的角色：请由另一位安全管理员办理。")


def _tell_of_role_change(user: User, title: str, dedupe_key: str) -> None:
    """The person concerned and every security administrator hear of each grant and revocation."""
    from zhaoshang.core import notifications
    from zhaoshang.org.selectors import role_holder_ids

    security = role_holder_ids(Role.SECURITY_ADMIN)
    notifications.notify([user.pk], kind="membership", title=f"您{title}", link="/", dedupe_key=dedupe_key)
    notifications.notify(
        [pk for pk in security if pk != user.pk],
        kind="membership",
        title=f"{user}{title}",
        link=f"/org/users/{user.pk}/",
        dedupe_key=dedupe_key,
    )


def membership_add(
    *, by: Principal, user: User, unit: Unit, role: Role | str, reason: str = ""
) -> Membership:
    """Grant a role: the security administrator's task (三权分立), never to oneself."""
    require(by, Action.MANAGE_ROLES)
    require_in_scope(by, unit, Action.MANAGE_ROLES)
    _refuse_own_roles(by, user.pk)
    role = Role(role)
    if Membership.objects.filter(user=user, unit=unit, role=role).exists():
        raise ValidationError({"role": f"角色：{user} 在 {unit} 已有此角色。"})
    membership = audited_create(Membership(user=user, unit=unit, role=role), reason=reason)
    _tell_of_role_change(user, f"已被授予 {unit.name} 的“{role.label}”角色", f"membership:{membership.pk}")
    return membership


def membership_remove(*, by: Principal, membership: Membership, reason: str) -> None:
    require(by, Action.MANAGE_ROLES)
    _refuse_own_roles(by, membership.user_id)
    if not reason.strip():
        raise ValidationError({"reason": "原因：移除角色必须填写原因。"})
    user, unit, role = membership.user, membership.unit, Role(membership.role)
    key = f"membership-removed:{membership.pk}"
    audited_delete(membership, reason=reason)
    _tell_of_role_change(user, f"在 {unit.name} 的“{role.label}”角色已被移除", key)


def leader_set(*, by: Principal, user: User, unit: Unit, title: str, rank: int = 100) -> Leader:
    """Mark a user as a 县级领导 of a jurisdiction, or change their post."""
    require(by, Action.MANAGE_ORG)
    if not unit.kind.is_jurisdiction:
        raise ValidationError({"unit": f"单位：县级领导应属于省、市或县，不能属于“{unit.kind}”。"})
    leader = Leader.objects.filter(user=user).first()
    if leader is None:
        return audited_create(Leader(user=user, unit=unit, title=title, rank=rank))
    audited_update(leader, {"unit": unit, "title": title, "rank": rank, "is_active": True})
    return leader


def token_create(*, by: Principal, user: User, name: str, days: int | None = 90) -> tuple[ApiToken, str]:
    """Returns the stored token and the secret, which is shown once and never stored."""
    if by.user_id != user.pk:
        require(by, Action.MANAGE_ORG)
        guard_oversight_account(by, user)
    if by.user_id is None and not by.sees_everything:
        raise PermissionDenied
    raw = "zs_" + secrets.token_urlsafe(32)
    expires = timezone.now() + dt.timedelta(days=days) if days else None
    token = ApiToken(
        user=user,
        name=name,
        prefix=raw[3:11],
        key_hash=hashlib.sha256(raw.encode()).hexdigest(),
        expires_at=expires,
    )
    return audited_create(token), raw


def token_revoke(*, by: Principal, token: ApiToken, reason: str = "") -> None:
    if by.user_id != token.user_id:
        require(by, Action.MANAGE_ORG)
    audited_update(token, {"revoked_at": timezone.now()}, reason=reason, action=AuditEvent.Action.TRANSITION)


def token_user(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    token = ApiToken.objects.select_related("user").filter(key_hash=digest, revoked_at__isnull=True).first()
    now = timezone.now()
    if token is None or not token.user.is_active or (token.expires_at and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        # Bookkeeping, not a business change: not audited, and written at most every 5 minutes.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
