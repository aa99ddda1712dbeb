"""来访考察 as a spreadsheet: one row an investor's visit, found by the receiving unit, its day and the
company. The project it belongs to is named by its number (项目编号), one the importer sees in the
county; the referring contact by its registered name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import Column, ParsedRows, Sheet, iter_chunks
from zhaoshang.org.models import Unit, User
from zhaoshang.outreach.models import InvestorVisit
from zhaoshang.outreach.sheets.common import (
    CHUNK,
    Contacts,
    Context,
    Leaders,
    OutreachImporter,
    People,
    Problems,
    chosen,
    find_leader,
    find_people,
    plain,
)
from zhaoshang.projects.models import Project

TEXTS = ("visitors", "sites", "outcome")

VISIT_SHEET = Sheet(
    kind="outreach-visits",
    title="来访考察",
    key=("unit", "on", "company"),
    columns=(
        Column("unit", "接待单位", kind="choice", required=True, width=20),
        Column("on", "来访日期", kind="date", required=True, width=12),
        Column("company", "来访企业", required=True, max_length=200, width=30),
        Column("visitors", "来访人员", required=True, max_length=200, width=24),
        Column("sites", "考察地点", max_length=300, width=24),
        Column("hosts", "接待人员", max_length=1000, width=20, help="本县各单位工作人员，用“、”分隔"),
        Column("leader", "陪同县领导", max_length=80, help="本县县级领导的名称或用户名"),
        Column("contact", "引荐的联络对象", max_length=120, width=20, help="本县登记的联络对象名称"),
        Column("outcome", "成果", max_length=2000, width=30),
        Column("project", "所属项目编号", kind="int", minimum=Decimal(1), help="系统中的项目编号"),
    ),
    description=(
        "每行一次来访考察，按接待单位、来访日期和来访企业匹配：已有的修改，没有的新增。"
        "已有记录的空白单元格表示不修改。"
    ),
)


class VisitImporter(OutreachImporter):
    kind = "outreach-visits"
    label = "来访考察"
    sheet = VISIT_SHEET
    model = InvestorVisit
    unit_key = "unit"
    unit_keys = ("unit",)
    foreign_keys = ("unit", "leader", "contact", "project")
    many = ("hosts",)
    key_header = "来访企业"
    defaults = {"sites": "", "outcome": ""}

    def prepare(self, ctx: Context, parsed: ParsedRows) -> None:
        counties = [c.pk for c in ctx.counties.values()]
        visits = InvestorVisit.objects.filter(county_id__in=counties)
        ctx.extra["leaders"] = Leaders(visits.values_list("leader_id", flat=True))
        ctx.extra["people"] = People(visits.values_list("hosts", flat=True))
        ctx.extra["contacts"] = Contacts(counties)
        wanted = sorted({v["project"] for _r, v in parsed.rows if v.get("project")})
        seen: dict[int, Project] = {}
        for chunk in iter_chunks(wanted, CHUNK):
            rows = Project.objects.visible_to(ctx.by).filter(pk__in=chunk).select_related("town")
            seen |= {p.pk: p for p in rows}
        ctx.extra["projects"] = seen

    def existing(self, ctx: Context) -> Iterable[tuple[tuple[Any, ...], Any]]:
        units = [u.pk for u in ctx.units.values()]
        rows = (
            InvestorVisit.objects.visible_to(ctx.by)
            .filter(unit_id__in=units)
            .select_related("unit")
            .prefetch_related("hosts")
            .order_by("pk")
        )
        return (((v.unit_id, v.on, plain(v.company)), v) for v in rows)

    def key_of(self, values: dict[str, Any], county: Unit, unit: Unit) -> tuple[Any, ...]:
        return (unit.pk, values["on"], values["company"])

    def fields(
        self, ctx: Context, county: Unit, values: dict[str, Any], current: Any, problems: Problems
    ) -> dict[str, Any]:
        found: dict[str, Any] = {k: values.get(k) for k in TEXTS}
        found |= {"unit": chosen(values, "unit"), "on": values["on"], "company": values["company"]}
        found["leader"] = find_leader(
            ctx, county, values.get("leader"), current.leader_id if current else None, problems, "陪同县领导"
        )
        hosts = self.old(current, "hosts") if current else []
        found["hosts"] = find_people(ctx, county, values.get("hosts"), hosts, problems, "接待人员")
        found["contact"] = None
        if values.get("contact"):
            contact, why = ctx.extra["contacts"].find(values["contact"], county)
            if contact is None:
                problems.append(("引荐的联络对象", why))
            else:
                found["contact"] = contact.pk
        found["project"] = number = values.get("project")
        if number and not (current and current.project_id == number):
            project = ctx.extra["projects"].get(number)
            if project is None:
                problems.append(("所属项目编号", f"没有编号为 {number} 的项目，或该项目不在您的查看范围内"))
            elif not project.town.path.startswith(county.path):
                problems.append(("所属项目编号", f"编号为 {number} 的项目不是{county.name}的项目"))
        return found

    def check(self, ctx: Context, merged: dict[str, Any], current: Any, problems: Problems) -> None:
        if merged.get("on") and merged["on"] > ctx.today:
            problems.append(("来访日期", "不能晚于今天"))

    def labels(self, key: str, ids: set[int]) -> dict[int, str]:
        return {u.pk: str(u) for u in User.objects.filter(pk__in=sorted(ids))}

    def export_records(self, by: Principal, filters: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        rows = list(
            InvestorVisit.objects.visible_to(by)
            .select_related("leader", "contact")
            .prefetch_related("hosts")
            .order_by("county_id", "-on", "-id")
        )
        leaders = Leaders(v.leader_id for v in rows)
        people = People(h.pk for v in rows for h in v.hosts.all())
        for v in rows:
            yield {
                **{k: getattr(v, k) or None for k in TEXTS},
                "unit": str(v.unit_id),
                "on": v.on,
                "company": v.company,
                "hosts": "、".join(people.label(h.pk) for h in v.hosts.all()) or None,
                "leader": leaders.label(v.leader),
                "contact": plain(v.contact.name) if v.contact else None,
                "project": v.project_id,
            }
