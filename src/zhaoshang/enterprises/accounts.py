"""Which accounts speak for an enterprise (企业账号): linked by the system administrator or by the
staff who work with the enterprise, with a trace on the enterprise and on the account. The linked
account then sees its enterprise (`org.principal.ENTERPRISE_PROVIDERS`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from zhaoshang.core import audit, versioning
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.enterprises import selectors
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org import selectors as org_selectors
from zhaoshang.org.models import User


def may_link(principal: Principal, enterprise: Enterprise) -> bool:
    """The system administrator, and the staff who may edit the enterprise."""
    return principal.can(Action.MANAGE_ORG) or selectors.can_edit(principal, enterprise)


def linkable_accounts(principal: Principal, enterprise: Enterprise) -> QuerySet[User]:
    return org_selectors.enterprise_accounts(principal).exclude(pk__in=enterprise.users.values("pk"))


def linked_accounts(enterprise: Enterprise) -> QuerySet[User]:
    return enterprise.users.order_by("display_name", "pk")


def linked_enterprises(principal: Principal, user: User) -> QuerySet[Enterprise]:
    return Enterprise.objects.visible_to(principal).filter(users=user).order_by("name", "pk")


def _record(enterprise: Enterprise, user: User, before: list[int], what: str, reason: str) -> None:
    """One event on the enterprise (its accounts before and after) and one on the account, each
    saying what happened and why."""
    reason = f"{what}（{reason.strip()}）" if reason.strip() else what
    after = sorted(enterprise.users.values_list("pk", flat=True))
    audit.record(
        AuditEvent.Action.UPDATE, enterprise, before={"users": before}, after={"users": after}, reason=reason
    )
    audit.record(AuditEvent.Action.UPDATE, user, reason=reason)
    versioning.bump(enterprise)


def account_link(*, by: Principal, enterprise: Enterprise, user: User, reason: str = "") -> None:
    if not may_link(by, enterprise):
        raise PermissionDenied("只有系统管理员或负责该企业的工作人员可以关联企业账号。")
    if not org_selectors.enterprise_accounts(by).filter(pk=user.pk).exists():
        raise ValidationError(
            {"user": f"企业账号：“{user}”不能关联企业（已停用、持有工作人员等其他角色，或不在您的范围内）。"}
        )
    if enterprise.users.filter(pk=user.pk).exists():
        raise ValidationError({"user": f"企业账号：“{user}”已关联{enterprise.name}。"})
    with transaction.atomic():
        before = sorted(enterprise.users.values_list("pk", flat=True))
        enterprise.users.add(user)
        _record(enterprise, user, before, f"关联企业账号：{user} 代表 {enterprise.name}", reason)


def account_unlink(*, by: Principal, enterprise: Enterprise, user: User, reason: str) -> None:
    if not may_link(by, enterprise):
        raise PermissionDenied("只有系统管理员或负责该企业的工作人员可以解除企业账号关联。")
    if not reason.strip():
        raise ValidationError({"reason": "原因：解除企业账号关联必须填写原因。"})
    if not enterprise.users.filter(pk=user.pk).exists():
        raise ValidationError({"user": f"企业账号：“{user}”未关联{enterprise.name}。"})
    with transaction.atomic():
        before = sorted(enterprise.users.values_list("pk", flat=True))
        enterprise.users.remove(user)
        _record(enterprise, user, before, f"解除企业账号关联：{user} 不再代表 {enterprise.name}", reason)


def enterprise_by_code(principal: Principal, code: str) -> Enterprise:
    """The enterprise an administrator names by its 统一社会信用代码 (or its exact name)."""
    text = code.strip()
    rows = Enterprise.objects.visible_to(principal)
    found = list(rows.filter(uscc=text.upper())[:1]) or list(rows.filter(name=text)[:2])
    if len(found) != 1:
        raise ValidationError(
            {"enterprise": "企业：没有找到该企业，请填写完整的统一社会信用代码或企业全称。"}
        )
    return found[0]
