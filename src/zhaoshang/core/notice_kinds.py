"""The kinds of notification, what people call them, and which of them each person receives.

Each app registers the kinds it sends (in its `AppConfig.ready`); a person turns off the kinds they
do not want on 消息设置 (`/accounts/notifications/`). A mandatory kind cannot be turned off: the page
says why. Whether a kind reaches a person is read once per sending (`muted`), never per recipient.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.core.models import NotificationPreference
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update


@dataclass(frozen=True)
class NoticeKind:
    code: str
    label: str
    mandatory: bool = False
    why: str = ""  # a mandatory kind: why it cannot be turned off; otherwise what it brings


KINDS: dict[str, NoticeKind] = {}


def register_kind(code: str, label: str, *, mandatory: bool = False, why: str = "") -> NoticeKind:
    kind = NoticeKind(code, label, mandatory, why)
    KINDS[code] = kind
    return kind


def label_of(code: str) -> str:
    kind = KINDS.get(code)
    return kind.label if kind else "其他通知"


def kind_choices() -> list[tuple[str, str]]:
    """The preference's `kind` choices (a callable, so kinds registered later are included)."""
    return [(k.code, k.label) for k in KINDS.values()]


def kinds() -> list[NoticeKind]:
    return list(KINDS.values())


def muted(kind: str) -> set[int]:
    """The users who turned this kind off: one query, however many recipients a sending has."""
    found = KINDS.get(kind)
    if found is not None and found.mandatory:
        return set()
    return set(
        NotificationPreference.objects.filter(kind=kind, enabled=False).values_list("user_id", flat=True)
    )


def receives(user_id: int) -> dict[str, bool]:
    """Each registered kind → whether it reaches the user (mandatory kinds always do)."""
    off = set(
        NotificationPreference.objects.filter(user_id=user_id, enabled=False).values_list("kind", flat=True)
    )
    return {k.code: k.mandatory or k.code not in off for k in KINDS.values()}


def preferences_save(by: Principal, *, enabled: set[str]) -> list[str]:
    """The person's own choice of kinds (`enabled`: the kinds they keep); each change audited.

    Returns the labels of the kinds whose setting changed. A mandatory kind stays on."""
    if by.user_id is None:
        raise ValidationError({"__all__": "只有登录的用户可以修改消息设置。"})
    unknown = sorted(enabled - set(KINDS))
    if unknown:
        raise ValidationError({"__all__": "消息设置：有不认识的消息类型，请刷新页面后再改。"})
    changed: list[str] = []
    with transaction.atomic():
        rows = {
            p.kind: p for p in NotificationPreference.objects.select_for_update().filter(user_id=by.user_id)
        }
        for kind in KINDS.values():
            if kind.mandatory:
                continue
            wanted = kind.code in enabled
            row = rows.get(kind.code)
            if row is None:
                if wanted:
                    continue  # no row already means "receives"
                audited_create(
                    NotificationPreference(user_id=by.user_id, kind=kind.code, enabled=False),
                    reason=f"不再接收“{kind.label}”",
                )
            elif row.enabled != wanted:
                reason = f"{'恢复' if wanted else '不再'}接收“{kind.label}”"
                audited_update(row, {"enabled": wanted}, reason=reason)
            else:
                continue
            changed.append(kind.label)
    return changed


# Kinds core itself sends. The security ones are mandatory: 等级保护 requires that a person learns
# of a change to their own rights and that the administrators on duty learn of an attack.
register_kind(
    "membership",
    "角色授予与收回",
    mandatory=True,
    why="账号权限的每次变化都须本人和安全管理员知悉（等级保护的要求），不能关闭。",
)
register_kind("security", "异常访问告警", mandatory=True, why="反复越权访问须安全管理员及时处置，不能关闭。")
register_kind(
    "audit_chain", "审计链校验结果", mandatory=True, why="审计记录被改动须审计员及时处置，不能关闭。"
)
register_kind("job_done", "后台任务完成", why="您发起的导入、评价等后台任务完成时提醒您。")
