"""A wrong record put right with a trace: withdrawn with who, when and why, or replaced by a correction.

`Withdrawable` is the withdrawal alone (a yearly figure, one row per enterprise and year, is corrected
in place as a versioned edit with a reason, and withdrawn); `Correctable` adds the correction that
replaces a row by a new one pointing to it (a funds arrival, a follow-up).

The original row stays (nothing a report counted is deleted). `objects` reads only current rows, so
totals, rates, lists and evaluation inputs follow a withdrawal by themselves; `all_rows` reads every
row, for the page that shows what was withdrawn or corrected and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from zhaoshang.core.models import AuditEvent
from zhaoshang.core.roles import Role
from zhaoshang.core.scoping import Principal, ScopedQuerySet
from zhaoshang.core.services import audited_update


class CurrentRows(models.Manager):
    """The default manager of a correctable model: withdrawn (and corrected) rows left out."""

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(withdrawn_at__isnull=True)


class Withdrawable(models.Model):
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="撤回人",
    )
    withdraw_reason = models.CharField("撤回或更正原因", max_length=300, blank=True, editable=False)

    objects = CurrentRows.from_queryset(ScopedQuerySet)()
    all_rows = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None

    @property
    def state_label(self) -> str:
        """ "已撤回" for a row withdrawn, "" for a current row."""
        return "" if self.withdrawn_at is None else "已撤回"


class Correctable(Withdrawable):
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        editable=False,
        verbose_name="所更正的记录",
    )

    class Meta:
        abstract = True

    @property
    def state_label(self) -> str:
        """ "已更正" for a row a correction replaced, "已撤回" for one withdrawn, "" for a current row."""
        if self.withdrawn_at is None:
            return ""
        return "已更正" if hasattr(self, "replaced_by") else "已撤回"


def may_correct(principal: Principal, recorded_by_id: int | None) -> bool:
    """A coordinator, the person who recorded it, or a member of a unit the recorder belongs to."""
    if Role.COORDINATOR in principal.roles:
        return True
    if recorded_by_id is None or principal.user_id is None:
        return False
    if recorded_by_id == principal.user_id:
        return True
    return (
        get_user_model()
        .objects.filter(pk=recorded_by_id, memberships__unit_id__in=principal.unit_ids)
        .exists()
    )


def correctable_ids(principal: Principal, rows: Iterable[Any], *, can_edit: bool) -> set[int]:
    """The current rows of a page the principal may correct or withdraw, in one query for them all."""
    current = [r for r in rows if r.withdrawn_at is None]
    if not can_edit or not current:
        return set()
    if Role.COORDINATOR in principal.roles:
        return {r.pk for r in current}
    recorders = {r.by_id for r in current if r.by_id is not None}
    colleagues = set(
        get_user_model()
        .objects.filter(pk__in=recorders, memberships__unit_id__in=principal.unit_ids)
        .values_list("pk", flat=True)
    ) | {principal.user_id}
    return {r.pk for r in current if r.by_id in colleagues}


def check_current(row: Withdrawable) -> None:
    """A row already withdrawn (or corrected) is not changed again: the trace stays as it was."""
    if not row.is_current:
        raise ValidationError(
            {
                "reason": f"该记录已于 {timezone.localtime(row.withdrawn_at):%Y-%m-%d %H:%M} 撤回或更正，不能再改"
            }
        )


def check_correctable(principal: Principal, row: Withdrawable, recorded_by_id: int | None) -> None:
    check_current(row)
    if not may_correct(principal, recorded_by_id):
        raise PermissionDenied("只有登记该记录的单位或统筹协调人员可以更正或撤回。")


def clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "原因：更正或撤回必须填写原因"})
    return reason


def withdraw(by: Principal, row: Withdrawable, *, reason: str, corrected: bool = False) -> None:
    """Mark the row withdrawn (audited as a state move); a correction withdraws the row it replaces."""
    audited_update(
        row,
        {"withdrawn_at": timezone.now(), "withdrawn_by_id": by.user_id, "withdraw_reason": reason},
        reason=f"{'更正' if corrected else '撤回'}：{reason}",
        action=AuditEvent.Action.TRANSITION,
    )
