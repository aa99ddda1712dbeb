"""招商联络对象 as a spreadsheet: one row a chamber, association, agent, home-town entrepreneur …,
found by its category and name in the county of the unit that keeps it.

Phones are exported as the exporting person may read them (`selectors.contact_phone`): masked for
those who do not keep the contact. A cell with "*" in it (139****6130) is such a masked number and
leaves the stored phone as it is; it is never written over the full one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.core.exceptions import ValidationError

from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import Column, ParsedRows, Sheet
from zhaoshang.core.validators import validate_phone
from zhaoshang.org.models import Unit
from zhaoshang.outreach import selectors
from zhaoshang.outreach.models import CONTACT_KINDS, REGIONS, Contact
from zhaoshang.outreach.sheets.common import Context, Leaders, OutreachImporter, Problems, chosen, plain

TEXTS = ("organisation", "home_town", "based_in", "industry", "note")

CONTACT_SHEET = Sheet(
    kind="outreach-contacts",
    title="招商联络对象",
    key=("county", "kind", "name"),
    columns=(
        Column("kind", "类别", kind="choice", required=True, choices=CONTACT_KINDS, width=12),
        Column("name", "名称或姓名", required=True, max_length=120, width=24),
        Column("organisation", "所在单位及职务", max_length=160, width=28),
        Column("home_town", "家乡", max_length=60, help="乡友企业家的家乡（乡镇），乡友企业家必填"),
        Column("based_in", "现在所在地", max_length=60),
        Column("region", "所在区域", kind="choice", choices=REGIONS, help="新登记留空为其他地区"),
        Column("industry", "主要行业", max_length=60),
        Column(
            "phone",
            "联系电话",
            max_length=30,
            help="导出时按您的权限遮蔽（如 139****6130）；含“*”的号码导入时不修改已登记的电话",
        ),
        Column(
            "keeper_unit",
            "联系单位",
            kind="choice",
            required=True,
            width=20,
            help="联络对象属于该单位所在的县",
        ),
        Column("keeper_leader", "联系县领导", max_length=80, help="本县县级领导的名称或用户名"),
        Column(
            "linked_units",
            "挂钩联系单位",
            kind="choice",
            many=True,
            width=28,
            help="挂钩联系本商会、协会的招商组或乡镇",
        ),
        Column("note", "情况简介", max_length=2000, width=30),
        Column("active", "保持联系", kind="bool", help="新登记留空为“是”"),
    ),
    description=(
        "每行一个联络对象，按类别和名称在联系单位所在县内匹配：已有的修改，没有的新增。"
        "已有联络对象的空白单元格表示不修改；遮蔽的电话号码（含“*”）表示不修改。"
    ),
)


class ContactImporter(OutreachImporter):
    kind = "outreach-contacts"
    label = "招商联络对象"
    sheet = CONTACT_SHEET
    model = Contact
    unit_key = "keeper_unit"
    unit_keys = ("keeper_unit", "linked_units")
    unit_attr = "keeper_unit"
    foreign_keys = ("keeper_unit", "keeper_leader")
    many = ("linked_units",)
    key_header = "名称或姓名"
    defaults = dict.fromkeys(("phone", *TEXTS), "") | {"region": "other", "active": True}

    def prepare(self, ctx: Context, parsed: ParsedRows) -> None:
        ctx.extra["leaders"] = Leaders(
            Contact.objects.filter(county__in=ctx.counties.values()).values_list(
                "keeper_leader_id", flat=True
            )
        )

    def existing(self, ctx: Context) -> Iterable[tuple[tuple[Any, ...], Any]]:
        rows = (
            Contact.objects.visible_to(ctx.by)
            .filter(county__in=ctx.counties.values())
            .select_related("keeper_unit")
            .prefetch_related("linked_units")
            .order_by("pk")
        )
        return (((c.county_id, c.kind, plain(c.name)), c) for c in rows)

    def key_of(self, values: dict[str, Any], county: Unit, unit: Unit) -> tuple[Any, ...]:
        return (county.pk, values["kind"], values["name"])

    def fields(
        self, ctx: Context, county: Unit, values: dict[str, Any], current: Any, problems: Problems
    ) -> dict[str, Any]:
        found: dict[str, Any] = {k: values.get(k) for k in (*TEXTS, "region", "active")}
        found |= {
            "kind": values["kind"],
            "name": values["name"],
            "keeper_unit": chosen(values, "keeper_unit"),
        }
        found["linked_units"] = sorted(int(u) for u in values.get("linked_units") or [])
        phone = values.get("phone")
        if phone and "*" in phone:  # masked as exported: the stored number stays
            if current is None:
                problems.append(("联系电话", "是遮蔽后的号码，新登记的联络对象请填写完整的电话号码"))
            phone = None
        elif phone:
            try:
                validate_phone(phone)
            except ValidationError as exc:
                problems.append(("联系电话", exc.messages[0]))
        found["phone"] = phone
        found["keeper_leader"] = None
        if values.get("keeper_leader"):
            leader, why = ctx.extra["leaders"].find(
                values["keeper_leader"], county, current.keeper_leader_id if current else None
            )
            if leader is None:
                problems.append(("联系县领导", why))
            else:
                found["keeper_leader"] = leader.pk
        return found

    def check(self, ctx: Context, merged: dict[str, Any], current: Any, problems: Problems) -> None:
        if merged.get("kind") == "hometown" and not merged.get("home_town"):
            problems.append(("家乡", "乡友企业家须写明家乡（乡镇）"))

    def labels(self, key: str, ids: set[int]) -> dict[int, str]:
        return dict(Unit.objects.filter(pk__in=sorted(ids)).values_list("pk", "name"))

    def export_records(self, by: Principal, filters: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        rows = list(
            selectors.contact_rows(by)
            .prefetch_related("linked_units")
            .order_by("county__path", "kind", "name", "pk")
        )
        leaders = Leaders(c.keeper_leader_id for c in rows)
        for c in rows:
            yield {
                **{k: getattr(c, k) or None for k in TEXTS},
                "kind": c.kind,
                "name": c.name,
                "region": c.region,
                "phone": selectors.contact_phone(by, c) or None,
                "keeper_unit": str(c.keeper_unit_id),
                "keeper_leader": leaders.label(c.keeper_leader),
                "linked_units": sorted(str(u.pk) for u in c.linked_units.all()),
                "active": c.active,
            }
