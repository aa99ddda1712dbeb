"""The enterprise registry (企业名录) as a spreadsheet: plan, apply, export."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from django.db.models import F

from zhaoshang.core import audit, bulk, industries, uscc
from zhaoshang.core.imports import Plan, Progress, RowChange
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require
from zhaoshang.core.pinyin import initials
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import CellError, ParsedRows, Sheet, iter_chunks
from zhaoshang.enterprises.models import Enterprise, Qualification
from zhaoshang.enterprises.services import refresh_scale
from zhaoshang.enterprises.sheets.columns import (
    CHUNK,
    REGISTRY_SHEET,
    _event,
    _unit_labels,
    _units,
    _update_event,
    _visible,
)


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
            # An edit form opened before the import is now stale (core.versioning).
            for chunk in iter_chunks([e.pk for e in updates], CHUNK):
                Enterprise.objects.filter(pk__in=chunk).update(version=F("version") + 1)
        through.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
        audit.record_many(events)
        refresh_scale([e.pk for e in created] + [e.pk for e in updates])

    def export_records(self, by: Principal, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        from zhaoshang.enterprises.selectors import contact_phone, enterprises_for_list, with_contacts

        # Phones as the page shows them to this principal (masked unless it works with the enterprise).
        for e in with_contacts(by, enterprises_for_list(by, filters)).iterator(chunk_size=2000):
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
                "contact_phone": contact_phone(by, e),
                "scale_override": e.scale_override or None,
            }
