"""The contacts list and the agreements list: filters over what the reader sees, and the contacts'
export, which writes the page's rows with the phone as the page shows it (`selectors.contact_phone`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import django_filters
from django.db.models import Q, QuerySet

import zhaoshang.outreach.selectors.contacts as reads
from zhaoshang.core.exports import export_sheet
from zhaoshang.core.lists import ScopedChoice, ScopedFilterSet, Sort
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import Column
from zhaoshang.outreach.models import CONTACT_KINDS, REGIONS, Agreement, Contact
from zhaoshang.outreach.selectors import contact_phone

ACTIVE_CHOICES = [("yes", "保持联系"), ("no", "已停止联系")]


class ContactListing(ScopedFilterSet):
    q = django_filters.CharFilter(label="名称、单位或家乡", method="search")
    kind = django_filters.ChoiceFilter(label="类别", choices=CONTACT_KINDS, empty_label="全部类别")
    region = django_filters.ChoiceFilter(label="所在区域", choices=REGIONS, empty_label="全部区域")
    keeper_unit = ScopedChoice(label="联系单位", scope=reads.keeper_units, empty_label="全部单位")
    keeper_leader = ScopedChoice(label="联系县领导", scope=reads.keeper_leaders, empty_label="全部领导")
    active = django_filters.ChoiceFilter(
        label="联系状态", choices=ACTIVE_CHOICES, empty_label="全部", method="on_active"
    )
    sort = Sort(fields={"name": "名称或姓名", "created_at": "登记时间"}, default="name")

    class Meta:
        model = Contact
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[Contact]:
        return reads.listed_contacts(principal)

    def search(self, rows: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        text = value.strip()
        if not text:
            return rows
        return rows.filter(
            Q(name__icontains=text) | Q(organisation__icontains=text) | Q(home_town__icontains=text)
        )

    def on_active(self, rows: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        return rows.filter(active=value == "yes") if value else rows


CONTACT_SHEET = export_sheet(
    "招商联络对象",
    [
        Column("name", "名称或姓名", width=28),
        Column("kind", "类别", kind="choice", choices=CONTACT_KINDS),
        Column("organisation", "所在单位及职务", width=28),
        Column("home_town", "家乡（乡镇）", width=12),
        Column("based_in", "现在所在地", width=14),
        Column("region", "所在区域", kind="choice", choices=REGIONS),
        Column("industry", "主要行业", width=16),
        Column("phone", "联系电话", width=16),
        Column("keeper_unit", "联系单位", width=18),
        Column("keeper_leader", "联系县领导", width=12),
        Column("linked_units", "挂钩联系单位", width=24),
        Column("active", "联系状态"),
    ],
)


def contact_records(principal: Principal, rows: QuerySet[Contact]) -> Iterator[dict[str, Any]]:
    for c in rows.iterator(chunk_size=2000):
        yield {
            "name": c.name,
            "kind": c.kind,
            "organisation": c.organisation or None,
            "home_town": c.home_town or None,
            "based_in": c.based_in or None,
            "region": c.region,
            "industry": c.industry or None,
            "phone": contact_phone(principal, c) or None,
            "keeper_unit": c.keeper_unit.name,
            "keeper_leader": str(c.keeper_leader) if c.keeper_leader else None,
            "linked_units": "、".join(u.name for u in c.linked_units.all()) or None,
            "active": "保持联系" if c.active else "已停止联系",
        }


class AgreementListing(ScopedFilterSet):
    q = django_filters.CharFilter(label="协议名称或受托方", method="search")
    sort = Sort(fields={"signed_on": "签订日期", "ends_on": "截止日期"}, default="-signed_on")

    class Meta:
        model = Agreement
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[Agreement]:
        return reads.agreements(principal)

    def search(self, rows: QuerySet[Agreement], name: str, value: str) -> QuerySet[Agreement]:
        text = value.strip()
        return rows.filter(Q(title__icontains=text) | Q(contact__name__icontains=text)) if text else rows
