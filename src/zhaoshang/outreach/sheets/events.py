"""招商活动 (推介会、签约仪式、集中开工/竣工仪式) as a spreadsheet: one row an event, found by its name
and day in the county of the unit that holds it. The projects signed or started at an event are
added on the event's page, one by one, with their amounts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import Column, Sheet
from zhaoshang.org.models import Unit
from zhaoshang.outreach.models import EVENT_KINDS, Event
from zhaoshang.outreach.sheets.common import Context, OutreachImporter, Problems, chosen, plain

EVENT_SHEET = Sheet(
    kind="outreach-events",
    title="招商活动",
    key=("county", "name", "on"),
    columns=(
        Column("name", "活动名称", required=True, max_length=160, width=30),
        Column("on", "日期", kind="date", required=True, width=12),
        Column("kind", "活动类型", kind="choice", required=True, choices=EVENT_KINDS, width=14),
        Column("unit", "主办单位", kind="choice", required=True, width=20, help="活动属于主办单位所在的县"),
        Column("place", "地点", required=True, max_length=120, width=24),
        Column("note", "情况", max_length=2000, width=30),
    ),
    description=(
        "每行一次招商活动，按活动名称和日期在主办单位所在县内匹配：已有的修改，没有的新增。"
        "在活动上签约、开工的项目请在活动页面逐项登记。已有记录的空白单元格表示不修改。"
    ),
)


class EventImporter(OutreachImporter):
    kind = "outreach-events"
    label = "招商活动"
    sheet = EVENT_SHEET
    model = Event
    unit_key = "unit"
    unit_keys = ("unit",)
    foreign_keys = ("unit",)
    key_header = "活动名称"
    defaults = {"note": ""}

    def existing(self, ctx: Context) -> Iterable[tuple[tuple[Any, ...], Any]]:
        rows = (
            Event.objects.visible_to(ctx.by)
            .filter(county__in=ctx.counties.values())
            .select_related("unit")
            .order_by("pk")
        )
        return (((e.county_id, plain(e.name), e.on), e) for e in rows)

    def key_of(self, values: dict[str, Any], county: Unit, unit: Unit) -> tuple[Any, ...]:
        return (county.pk, values["name"], values["on"])

    def fields(
        self, ctx: Context, county: Unit, values: dict[str, Any], current: Any, problems: Problems
    ) -> dict[str, Any]:
        found = {k: values.get(k) for k in ("name", "on", "kind", "place", "note")}
        return found | {"unit": chosen(values, "unit")}

    def export_records(self, by: Principal, filters: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        for e in Event.objects.visible_to(by).order_by("county_id", "-on", "-id"):
            yield {
                "name": e.name,
                "on": e.on,
                "kind": e.kind,
                "unit": str(e.unit_id),
                "place": e.place,
                "note": e.note or None,
            }
