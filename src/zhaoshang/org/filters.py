"""The organisation lists' filters: the pages, their exports and the API filter the same way."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Count, Q, QuerySet

from zhaoshang.core.lists import ScopedChoice, ScopedFilterSet, Sort
from zhaoshang.core.roles import ROLE_CHOICES
from zhaoshang.core.scoping import Principal
from zhaoshang.org.models import Unit, UnitKind, User
from zhaoshang.org.selectors import memberships_in_scope


def _units(principal: Principal) -> QuerySet[Unit]:
    return Unit.objects.visible_to(principal).filter(is_active=True).order_by("path")


class UnitFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="名称", method="search")
    kind = django_filters.ModelChoiceFilter(
        label="类型", queryset=UnitKind.objects.all(), empty_label="全部类型"
    )
    include_inactive = django_filters.BooleanFilter(
        label="含已撤销单位", method="with_inactive", widget=forms.CheckboxInput
    )
    sort = Sort(fields={"path": "名称", "kind__name": "类型"}, default="path")

    class Meta:
        model = Unit
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[Unit]:
        return Unit.objects.visible_to(principal).for_list().annotate(member_count=Count("memberships"))

    @property
    def qs(self) -> QuerySet[Unit]:
        rows = super().qs
        # Units no longer in use are left out unless asked for.
        return rows if self.form.cleaned_data.get("include_inactive") else rows.filter(is_active=True)

    def search(self, rows: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return rows.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(contact_person__icontains=value)
        )

    def with_inactive(self, rows: QuerySet[Unit], name: str, value: bool) -> QuerySet[Unit]:
        return rows  # read in `qs`: the default is to leave them out


class UserFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="姓名或用户名", method="search")
    role = django_filters.ChoiceFilter(
        label="角色", choices=ROLE_CHOICES, empty_label="全部角色", method="in_role"
    )
    unit = ScopedChoice(label="单位", scope=_units, empty_label="全部单位", method="in_unit")
    sort = Sort(fields={"username": "用户名", "display_name": "名称"}, default="username")

    class Meta:
        model = User
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[User]:
        return User.objects.visible_to(principal).prefetch_related(memberships_in_scope(principal))

    def search(self, rows: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return rows.filter(
            Q(username__icontains=value) | Q(display_name__icontains=value) | Q(title__icontains=value)
        )

    def in_role(self, rows: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return rows.filter(memberships__role=value).distinct()

    def in_unit(self, rows: QuerySet[User], name: str, value: Unit) -> QuerySet[User]:
        return rows.filter(memberships__unit__path__startswith=value.path).distinct()


def units_matching(principal: Principal, data: dict[str, Any]) -> QuerySet[Unit]:
    return UnitFilter(data, principal=principal).qs


def users_matching(principal: Principal, data: dict[str, Any]) -> QuerySet[User]:
    return UserFilter(data, principal=principal).qs
