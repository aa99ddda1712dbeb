"""The audit log's filters. The log is not scoped by unit: only roles that see everything open it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhaoshang.core import audit, selectors
from zhaoshang.core.lists import ScopedFilterSet, Sort
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.scoping import Principal


def _plausible_year(day: dt.date) -> None:
    if not 1900 <= day.year <= 2999:
        raise forms.ValidationError("年份应在 1900 至 2999 之间。")


class AuditFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="记录或操作人", method="search")
    action = django_filters.ChoiceFilter(
        label="操作", choices=AuditEvent.Action.choices, empty_label="全部操作"
    )
    target_type = django_filters.ChoiceFilter(
        label="记录类型", choices=(), empty_label="全部类型", method="of_kind"
    )
    date_from = django_filters.DateFilter(
        label="起始日期",
        method="since",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[_plausible_year],
    )
    date_to = django_filters.DateFilter(
        label="截止日期",
        method="until",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[_plausible_year],
    )
    # The log grows without end: it sorts only by its own order, which is indexed.
    sort = Sort(fields={"seq": "序号"}, default="-seq")

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The kinds of record the log holds now, by their Chinese names.
        self.filters["target_type"].extra["choices"] = selectors.audit_target_types()

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[AuditEvent]:
        return AuditEvent.objects.all()

    def search(self, rows: QuerySet[AuditEvent], name: str, value: str) -> QuerySet[AuditEvent]:
        return rows.filter(
            Q(target_repr__icontains=value) | Q(actor_repr__icontains=value) | Q(target_id=value)
        )

    def of_kind(self, rows: QuerySet[AuditEvent], name: str, value: str) -> QuerySet[AuditEvent]:
        # A moved record type finds its events from before the move too.
        return rows.filter(target_type__in=audit.labels_of(audit.current_label(value)))

    def since(self, rows: QuerySet[AuditEvent], name: str, value: dt.date) -> QuerySet[AuditEvent]:
        return rows.filter(
            at__gte=dt.datetime.combine(value, dt.time.min, tzinfo=timezone.get_current_timezone())
        )

    def until(self, rows: QuerySet[AuditEvent], name: str, value: dt.date) -> QuerySet[AuditEvent]:
        end = dt.datetime.combine(
            value + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
        )
        return rows.filter(at__lt=end)
