"""The enterprise registry and the yearly figures as spreadsheets: template, import, export."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from zhaoshang.core import audit, bulk, imports, industries, uscc
from zhaoshang.core.imports import Plan, Progress, RowChange
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require
from zhaoshang.core.pinyin import initials
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import CellError, Column, ParsedRows, Sheet, iter_chunks
from zhaoshang.core.validators import validate_phone
from zhaoshang.enterprises.models import FIGURES, Enterprise, EnterpriseYear, Qualification
from zhaoshang.enterprises.services import refresh_scale
from zhaoshang.org.models import Unit

CHUNK = 900  # SQLite allows 999 parameters in one statement


def _uscc(value: str) -> str:
    result = uscc.check(value)
    if not result.ok:
        raise ValueError("；".join(result.errors))
    return result.code


def _industry(value: str) -> str:
    return industries.validate(value).code


def _phone(value: str) -> str:
    from django.core.exceptions import ValidationError

    try:
        validate_phone(value)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from None
    return value


STATUS_CHOICES = [(value, str(label)) for value, label in Enterprise.Status.choices]
SCALE_CHOICES = [("above", "规上"), ("below", "规下")]
STATUS_LABELS = {"operating": "在营", "stopped": "停产", "moved_out": "迁出", "closed": "注销"}

REGISTRY_SHEET = Sheet(
    kind="enterprises",
    title="企业名录",
    key=("uscc",),
    columns=(
        Column(
            "uscc", "统一社会信用代码", required=True, validate=_uscc, width=22, help="18 位，GB 32100-2015"
        ),
        Column("name", "企业名称", required=True, width=30),
        Column(
            "industry_code",
            "行业代码",
            required=True,
            validate=_industry,
            help="GB/T 4754-2017，如 3011 或 C3011",
        ),
        Column("town", "所在乡镇", kind="choice", required=True, width=14),
        Column("park", "所在园区", kind="choice", width=18),
        Column("land_owned_mu", "自有用地", kind="decimal", unit="亩"),
        Column("land_leased_in_mu", "租入用地", kind="decimal", unit="亩"),
        Column("land_leased_out_mu", "出租用地", kind="decimal", unit="亩"),
        Column("qualifications", "资质", kind="choice", many=True, width=24),
        Column("founded_on", "成立日期", kind="date"),
        Column("status", "经营状态", kind="choice", choices=[(k, v) for k, v in STATUS_LABELS.items()]),
        Column("contact_person", "联系人", max_length=50),
        Column("contact_phone", "联系电话", validate=_phone, max_length=30),
        Column(
            "scale_override",
            "规模（人工认定）",
            kind="choice",
            choices=SCALE_CHOICES,
            help="留空则按主营业务收入自动判定",
        ),
    ),
    description="每行一家企业，按统一社会信用代码匹配：已有的企业更新，没有的新增。已有企业的空白单元格表示不修改。",
)

YEAR_COLUMNS = (
    Column("output_value", "工业总产值", kind="decimal", unit="万元"),
    Column("value_added", "工业增加值", kind="decimal", unit="万元"),
    Column("revenue", "主营业务收入", kind="decimal", unit="万元"),
    Column("tax", "实缴税金", kind="decimal", unit="万元"),
    Column("energy_tce", "综合能耗", kind="decimal", unit="吨标准煤"),
    Column("electricity_10k_kwh", "用电量", kind="decimal", unit="万千瓦时"),
    Column("emission_equivalent", "主要污染物排放当量", kind="decimal", unit="吨"),
    Column("rd_spending", "研发经费支出", kind="decimal", unit="万元"),
    Column("employees", "年平均职工人数", kind="int", unit="人"),
    Column("land_area_mu", "用地面积", kind="decimal", unit="亩"),
)

YEAR_SHEET = Sheet(
    kind="enterprise-years",
    title="年度指标",
    key=("uscc", "year"),
    columns=(
        Column("uscc", "统一社会信用代码", required=True, validate=_uscc, width=22),
        Column("name", "企业名称", width=30, help="仅供核对，以统一社会信用代码为准"),
        Column("year", "年度", kind="int", required=True, validate=lambda y: _year(y)),
        *YEAR_COLUMNS,
    ),
    description="每行一家企业一个年度，按统一社会信用代码和年度匹配。空白表示该指标缺失（已有数值不被清除）。",
)


def _year(value: int) -> int:
    if not 1990 <= value <= 2100:
        raise ValueError("年度应在 1990 至 2100 之间")
    return value


def _unit_labels(units: QuerySet[Unit]) -> list[tuple[str, str]]:
    """Unit names as people write them; a name used twice in scope gets its parent: "示范县/城关镇"."""
    rows = list(units.values_list("pk", "name", "parent__name"))
    names = [name for _pk, name, _parent in rows]
    return [(str(pk), name if names.count(name) == 1 else f"{parent}/{name}") for pk, name, parent in rows]


def _units(by: Principal, kind: str, writable: bool) -> QuerySet[Unit]:
    scope = by.acting_for(Action.EDIT_BUSINESS) if writable else by
    return Unit.objects.visible_to(scope).filter(kind__code=kind).order_by("path")


def _visible(by: Principal) -> Any:
    return Enterprise.objects.visible_to(by.acting_for(Action.EDIT_BUSINESS))


class EnterpriseImporter:
    kind = "enterprises"
    label = "企业名录"
    sheet = REGISTRY_SHEET

    def sheet_for(self, by: Principal, writable: bool = True) -> Sheet:
        """Towns and parks to choose from: those one may write to (import) or may see (export)."""
        qualifications = [(q.code, q.name) for q in Qualification.objects.all()]
        columns = []
        for column in self.sheet.columns:
            if column.key in ("town", "park"):
                column = dataclasses.replace(column, choices=_unit_labels(_units(by, column.key, writable)))
            elif column.key == "qualifications":
                column = dataclasses.replace(column, choices=qualifications)
            columns.append(column)
        return dataclasses.replace(self.sheet, columns=tuple(columns))

    def plan(self, parsed: ParsedRows, by: Principal, progress: Progress | None) -> Plan:
        require(by, Action.EDIT_BUSINESS)
        plan = Plan(self.kind, parsed)
        seen: dict[str, int] = {}
        rows = []
        for row, values in parsed.rows:
            code = values["uscc"]
            if code in seen:
                plan.errors.append(CellError(row, "统一社会信用代码", f"与第 {seen[code]} 行重复"))
                continue
            seen[code] = row
            if warning := uscc.organisation_warning(code):
                plan.warnings.append(f"第 {row} 行：{warning}（仅提示）")
            rows.append((row, values))
        existing: dict[str, Enterprise] = {}
        for chunk in iter_chunks([v["uscc"] for _r, v in rows], CHUNK):
            for e in Enterprise.objects.filter(uscc__in=chunk).prefetch_related("qualifications"):
                existing[e.uscc] = e
        writable = set()
        for chunk in iter_chunks([e.pk for e in existing.values()], CHUNK):
            writable |= set(_visible(by).filter(pk__in=chunk).values_list("pk", flat=True))
        for done, (row, values) in enumerate(rows, start=1):
            current = existing.get(values["uscc"])
            if current is None:
                plan.changes.append(RowChange(row, (values["uscc"],), "new", values))
            elif current.pk not in writable:
                plan.errors.append(CellError(row, "统一社会信用代码", "该企业已登记在您职责范围以外的单位"))
            else:
                diff = self._diff(current, values, parsed.present)
                action = "changed" if diff else "unchanged"
                plan.changes.append(RowChange(row, (values["uscc"],), action, values, diff, current.pk))
            if progress and done % 5000 == 0:
                progress(done, len(rows), "正在核对")
        return plan

    @staticmethod
    def _current(e: Enterprise, key: str) -> Any:
        if key == "qualifications":
            return sorted(q.code for q in e.qualifications.all())
        if key in ("town", "park"):
            value = getattr(e, f"{key}_id")
            return str(value) if value else None
        return getattr(e, key)

    def _diff(
        self, e: Enterprise, values: dict[str, Any], present: frozenset[str]
    ) -> dict[str, tuple[Any, Any]]:
        diff = {}
        for key, new in values.items():
            if key == "uscc" or key not in present or new is None or new == []:
                continue  # an empty cell leaves the stored value as it is
            old = self._current(e, key)
            if old != new:
                diff[key] = (old, new)
        return diff

    def apply(self, plan: Plan, by: Principal, progress: Progress | None) -> None:
        qualifications = {q.code: q for q in Qualification.objects.all()}
        through = Enterprise.qualifications.through
        events: list[dict[str, Any]] = []
        new = [c for c in plan.changes if c.action == "new"]
        created: list[Enterprise] = []
        for change in new:
            v = change.values
            e = Enterprise(
                uscc=v["uscc"],
                name=v["name"],
                name_initials=initials(v["name"]),
                industry_code=v["industry_code"],
                industry_section=industries.get(v["industry_code"]).section,  # type: ignore[union-attr]
                town_id=int(v["town"]),
                park_id=int(v["park"]) if v.get("park") else None,
                land_owned_mu=v.get("land_owned_mu"),
                land_leased_in_mu=v.get("land_leased_in_mu"),
                land_leased_out_mu=v.get("land_leased_out_mu"),
                founded_on=v.get("founded_on"),
                status=v.get("status") or Enterprise.Status.OPERATING,
                contact_person=v.get("contact_person") or "",
                contact_phone=v.get("contact_phone") or "",
                scale_override=v.get("scale_override") or "",
                above_scale=v.get("scale_override") == "above",
            )
            created.append(e)
        bulk.insert(Enterprise, created)
        # bulk_create only returns ids on some databases; look them up by code so both behave alike.
        ids: dict[str, int] = {}
        for chunk in iter_chunks([e.uscc for e in created], CHUNK):
            ids.update(Enterprise.objects.filter(uscc__in=chunk).values_list("uscc", "pk"))
        links = []
        for e, change in zip(created, new, strict=True):
            e.pk = ids[e.uscc]
            links += [
                through(enterprise_id=e.pk, qualification_id=qualifications[c].pk)
                for c in change.values.get("qualifications") or []
            ]
            events.append(
                _event(
                    change,
                    AuditEvent.Action.CREATE,
                    "enterprises.enterprise",
                    e.pk,
                    e.name,
                    after=audit.snapshot(e),
                )
            )
        if progress:
            progress(len(new), len(plan.changes), "正在写入")
        changed = [c for c in plan.changes if c.action == "changed"]
        current: dict[int, Enterprise] = {}
        for chunk in iter_chunks([c.target_id for c in changed], CHUNK):
            current.update(Enterprise.objects.in_bulk(chunk))
        updates: list[Enterprise] = []
        fields: set[str] = set()
        for change in changed:
            e = current[change.target_id]
            for key, (_old, value) in change.changes.items():
                if key == "qualifications":
                    through.objects.filter(enterprise_id=e.pk).delete()
                    links += [
                        through(enterprise_id=e.pk, qualification_id=qualifications[c].pk) for c in value
                    ]
                    continue
                attr = f"{key}_id" if key in ("town", "park") else key
                setattr(e, attr, int(value) if key in ("town", "park") and value else value)
                fields.add(attr)
            e.name_initials = initials(e.name)
            section = industries.get(e.industry_code)
            e.industry_section = section.section if section else ""
            if e.scale_override:
                e.above_scale = e.scale_override == "above"
            fields |= {"name_initials", "industry_section", "above_scale"}
            updates.append(e)
            events.append(_update_event(change, "enterprises.enterprise", e.pk, e.name))
        if updates:
            Enterprise.objects.bulk_update(updates, sorted(fields), batch_size=500)
        through.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
        audit.record_many(events)
        refresh_scale([e.pk for e in created] + [e.pk for e in updates])

    def export_records(self, by: Principal, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        from zhaoshang.enterprises.selectors import enterprises_for_list

        for e in enterprises_for_list(by, filters).iterator(chunk_size=2000):
            yield {
                "uscc": e.uscc,
                "name": e.name,
                "industry_code": e.industry_code,
                "town": str(e.town_id),
                "park": str(e.park_id) if e.park_id else None,
                "land_owned_mu": e.land_owned_mu,
                "land_leased_in_mu": e.land_leased_in_mu,
                "land_leased_out_mu": e.land_leased_out_mu,
                "qualifications": sorted(q.code for q in e.qualifications.all()),
                "founded_on": e.founded_on,
                "status": e.status,
                "contact_person": e.contact_person,
                "contact_phone": e.contact_phone,
                "scale_override": e.scale_override or None,
            }


class EnterpriseYearImporter:
    kind = "enterprise-years"
    label = "企业年度指标"
    sheet = YEAR_SHEET

    def sheet_for(self, by: Principal, writable: bool = True) -> Sheet:
        return self.sheet

    def plan(self, parsed: ParsedRows, by: Principal, progress: Progress | None) -> Plan:
        require(by, Action.EDIT_BUSINESS)
        plan = Plan(self.kind, parsed)
        codes = sorted({v["uscc"] for _r, v in parsed.rows})
        enterprises: dict[str, int] = {}
        for chunk in iter_chunks(codes, CHUNK):
            enterprises.update(_visible(by).filter(uscc__in=chunk).values_list("uscc", "pk"))
        existing: dict[tuple[int, int], EnterpriseYear] = {}
        ids = sorted(set(enterprises.values()))
        for chunk in iter_chunks(ids, CHUNK):
            for y in EnterpriseYear.objects.filter(enterprise_id__in=chunk):
                existing[(y.enterprise_id, y.year)] = y
        seen: dict[tuple[str, int], int] = {}
        for done, (row, values) in enumerate(parsed.rows, start=1):
            key = (values["uscc"], values["year"])
            if key in seen:
                plan.errors.append(CellError(row, "年度", f"与第 {seen[key]} 行的企业和年度重复"))
                continue
            seen[key] = row
            enterprise_id = enterprises.get(values["uscc"])
            if enterprise_id is None:
                plan.errors.append(
                    CellError(row, "统一社会信用代码", "企业未登记或不在您的职责范围内，请先导入企业名录")
                )
                continue
            current = existing.get((enterprise_id, values["year"]))
            figures = {k: v for k, v in values.items() if k in FIGURES}
            if current is None:
                plan.changes.append(RowChange(row, key, "new", figures, target_id=enterprise_id))
            else:
                diff = {
                    k: (getattr(current, k), v)
                    for k, v in figures.items()
                    if k in parsed.present and v is not None and getattr(current, k) != v
                }
                action = "changed" if diff else "unchanged"
                plan.changes.append(RowChange(row, key, action, figures, diff, current.pk))
            if progress and done % 5000 == 0:
                progress(done, len(parsed.rows), "正在核对")
        return plan

    def apply(self, plan: Plan, by: Principal, progress: Progress | None) -> None:
        new = [c for c in plan.changes if c.action == "new"]
        rows = [EnterpriseYear(enterprise_id=c.target_id, year=c.key[1], **c.values) for c in new]
        bulk.insert(EnterpriseYear, rows)
        events = [
            _event(
                c,
                AuditEvent.Action.CREATE,
                "enterprises.enterpriseyear",
                f"{c.key[0]}:{c.key[1]}",
                f"{c.key[0]} {c.key[1]} 年",
                after={k: _plain(v) for k, v in c.values.items()},
            )
            for c in new
        ]
        changed = [c for c in plan.changes if c.action == "changed"]
        updates, fields = [], set()
        for chunk in iter_chunks(changed, CHUNK):
            current = EnterpriseYear.objects.in_bulk([c.target_id for c in chunk])
            for c in chunk:
                row = current[c.target_id]
                for key, (_old, value) in c.changes.items():
                    setattr(row, key, value)
                    fields.add(key)
                updates.append(row)
                events.append(
                    _update_event(
                        c, "enterprises.enterpriseyear", f"{c.key[0]}:{c.key[1]}", f"{c.key[0]} {c.key[1]} 年"
                    )
                )
        if updates:
            EnterpriseYear.objects.bulk_update(updates, sorted(fields), batch_size=500)
        audit.record_many(events)
        refresh_scale(sorted({c.target_id for c in new} | {u.enterprise_id for u in updates}))

    def export_records(self, by: Principal, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        from zhaoshang.enterprises.selectors import enterprises_for_list

        enterprises = enterprises_for_list(by, filters).order_by()
        rows = EnterpriseYear.objects.filter(enterprise__in=enterprises.values("pk")).select_related(
            "enterprise"
        )
        if year := filters.get("year"):
            rows = rows.filter(year=year)
        for y in rows.order_by("enterprise__name", "year").iterator(chunk_size=2000):
            yield {
                "uscc": y.enterprise.uscc,
                "name": y.enterprise.name,
                "year": y.year,
                **{k: getattr(y, k) for k in FIGURES},
            }


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _event(
    change: RowChange,
    action: str,
    target_type: str,
    target_id: Any,
    target_repr: str,
    *,
    after: Any,
    before: Any = None,
) -> dict[str, Any]:
    """One audit event for one imported row, naming the row it came from."""
    event = {
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "target_repr": target_repr,
        "after": after,
        "reason": f"导入第 {change.row} 行",
    }
    if before is not None:
        event["before"] = before
    return event


def _update_event(change: RowChange, target_type: str, target_id: Any, target_repr: str) -> dict[str, Any]:
    before = {k: _plain(old) for k, (old, _new) in change.changes.items()}
    after = {k: _plain(new) for k, (_old, new) in change.changes.items()}
    return _event(
        change, AuditEvent.Action.UPDATE, target_type, target_id, target_repr, after=after, before=before
    )


imports.register(EnterpriseImporter())
imports.register(EnterpriseYearImporter())
