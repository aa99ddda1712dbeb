"""The yearly figures (年度数据) as a spreadsheet: plan, apply, export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import F

from zhaoshang.core import audit, bulk
from zhaoshang.core.imports import Plan, Progress, RowChange
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import CellError, ParsedRows, Sheet, iter_chunks
from zhaoshang.enterprises.models import FIGURES, EnterpriseYear
from zhaoshang.enterprises.services import refresh_scale
from zhaoshang.enterprises.sheets.columns import CHUNK, YEAR_SHEET, _event, _plain, _update_event, _visible


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
            for ids in iter_chunks([u.pk for u in updates], CHUNK):  # what was read before is now stale
                EnterpriseYear.objects.filter(pk__in=ids).update(version=F("version") + 1)
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
