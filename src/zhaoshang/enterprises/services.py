"""Every write to the enterprise registry and its yearly figures: validated, scoped, audited."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from zhaoshang.core import audit, corrections, industries, uscc, versioning
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require, require_in_scope
from zhaoshang.core.pinyin import initials
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.enterprises.models import (
    ABOVE_SCALE_REVENUE,
    FIGURES,
    Enterprise,
    EnterpriseYear,
    year_above_scale,
)
from zhaoshang.org import references
from zhaoshang.org.models import Unit

EDITABLE = (
    "name",
    "industry_code",
    "town",
    "park",
    "land_owned_mu",
    "land_leased_in_mu",
    "land_leased_out_mu",
    "founded_on",
    "contact_person",
    "contact_phone",
    "scale_override",
)


def clean_uscc(raw: str) -> str:
    result = uscc.check(raw)
    if not result.ok:
        raise ValidationError({"uscc": "；".join(result.errors)})
    return result.code


def clean_industry(raw: str) -> str:
    try:
        return industries.validate(raw).code
    except ValueError as exc:
        raise ValidationError({"industry_code": str(exc)}) from None


def derive(enterprise: Enterprise) -> None:
    """Fields that follow from others: search initials, the 门类 letter, the scale when overridden."""
    enterprise.name_initials = initials(enterprise.name)
    industry = industries.get(enterprise.industry_code)
    enterprise.industry_section = industry.section if industry else ""
    if enterprise.scale_override:
        enterprise.above_scale = enterprise.scale_override == Enterprise.Scale.ABOVE


def _check_units(
    by: Principal, town: Unit | None, park: Unit | None, current: Enterprise | None = None
) -> None:
    """A town and a park the principal may name (`org.references`); unchanged ones stay as they are."""
    if current is None or town != current.town:
        if town is None:
            raise ValidationError({"town": "所在乡镇：必须选择"})
        references.check_unit(by, town, field="town", label="所在乡镇", kind="town")
    if current is None or park != current.park:
        references.check_unit(by, park, field="park", label="所在园区", kind="park")


def enterprise_create(
    *, by: Principal, uscc_code: str, data: dict[str, Any], qualifications: Iterable[Any] = ()
) -> Enterprise:
    require(by, Action.EDIT_BUSINESS)
    code = clean_uscc(uscc_code)
    if Enterprise.objects.filter(uscc=code).exists():
        raise ValidationError({"uscc": f"统一社会信用代码 {code} 已登记"})
    values = {k: v for k, v in data.items() if k in EDITABLE}
    values["industry_code"] = clean_industry(values.get("industry_code", ""))
    _check_units(by, values.get("town"), values.get("park"))
    enterprise = Enterprise(uscc=code, **values)
    derive(enterprise)
    with transaction.atomic():
        audited_create(enterprise)
        if qualifications:
            enterprise.qualifications.set(qualifications)
            audit.record(
                AuditEvent.Action.UPDATE,
                enterprise,
                after={"qualifications": sorted(q.code for q in qualifications)},
            )
    return enterprise


def enterprise_update(
    *,
    by: Principal,
    enterprise: Enterprise,
    data: dict[str, Any],
    reason: str = "",
    qualifications: Iterable[Any] | None = None,
    version: int | None = None,
) -> list[str]:
    """Edit the registry entry; `version` is the one the editor read (a stale save raises StaleEdit)."""
    require(by, Action.EDIT_BUSINESS)
    require_in_scope(by, enterprise, Action.EDIT_BUSINESS)
    values = {k: v for k, v in data.items() if k in EDITABLE}
    if "industry_code" in values:
        values["industry_code"] = clean_industry(values["industry_code"])
    if "town" in values or "park" in values:
        _check_units(
            by, values.get("town", enterprise.town), values.get("park", enterprise.park), current=enterprise
        )
    with versioning.editing(enterprise, version):
        changed = audited_update(enterprise, values, reason=reason)
        derived_before = (enterprise.name_initials, enterprise.industry_section, enterprise.above_scale)
        derive(enterprise)
        if (enterprise.name_initials, enterprise.industry_section, enterprise.above_scale) != derived_before:
            enterprise.save(update_fields=["name_initials", "industry_section", "above_scale"])
        if qualifications is not None:
            old = sorted(enterprise.qualifications.values_list("code", flat=True))
            new = sorted(q.code for q in qualifications)
            if old != new:
                enterprise.qualifications.set(qualifications)
                audit.record(
                    AuditEvent.Action.UPDATE,
                    enterprise,
                    before={"qualifications": old},
                    after={"qualifications": new},
                    reason=reason,
                )
                if len(changed) == 0:
                    versioning.bump(enterprise)
                changed.append("qualifications")
        if "scale_override" in changed:
            refresh_scale([enterprise.pk])
    return changed


def enterprise_set_status(*, by: Principal, enterprise: Enterprise, status: str, reason: str) -> None:
    """Enterprises are never deleted (reports counted them): they stop, move out or close."""
    require(by, Action.EDIT_BUSINESS)
    require_in_scope(by, enterprise, Action.EDIT_BUSINESS)
    if status not in Enterprise.Status.values:
        raise ValidationError({"status": "未知的经营状态"})
    if not reason.strip():
        raise ValidationError({"reason": "原因：变更经营状态必须填写原因"})
    audited_update(enterprise, {"status": status}, reason=reason, action=AuditEvent.Action.TRANSITION)


def year_save(
    *,
    by: Principal,
    enterprise: Enterprise,
    year: int,
    data: dict[str, Any],
    reason: str = "",
    version: int | None = None,
) -> EnterpriseYear:
    """Enter or correct one year's figures; a correction needs a reason and is refused if stale.

    The year's 规上 status follows from its revenue, or from `scale_override` (the statistics
    bureau's decision for that year); the enterprise's flag follows its latest year.
    """
    require(by, Action.EDIT_BUSINESS)
    require_in_scope(by, enterprise, Action.EDIT_BUSINESS)
    values = {k: v for k, v in data.items() if k in FIGURES}
    if "scale_override" in data:
        override = data["scale_override"] or ""
        if override not in Enterprise.Scale.values and override != "":
            raise ValidationError({"scale_override": "规模（人工认定）：只能是规上或规下，或留空按收入判定"})
        values["scale_override"] = override
    check_year(year, values)
    reason = (reason or "").strip()
    with transaction.atomic():
        row = EnterpriseYear.objects.filter(enterprise=enterprise, year=year).first()
        if row is None:
            if version is not None:
                raise ValidationError({"version": f"version：{year} 年度尚无指标，首次录入不填 version"})
            row = EnterpriseYear(enterprise=enterprise, year=year, **values)
            row.above_scale = year_above_scale(row.revenue, row.scale_override)
            audited_create(row, reason=f"录入 {year} 年度指标" + (f"：{reason}" if reason else ""))
        else:
            versioning.claim(row, version)
            changed = audited_update(row, values, reason=f"更正 {year} 年度指标：{reason}" if reason else "")
            if changed and not reason:  # the figures are checked first; this rolls the change back
                raise ValidationError(
                    {"reason": f"修改原因：{year} 年度指标已录入，更正须填写原因（原数值留在变更历史中）"}
                )
        refresh_scale([enterprise.pk])
    row.refresh_from_db()  # amounts come back at their stored 4 decimals
    return row


def year_withdraw(*, by: Principal, row: EnterpriseYear, reason: str) -> None:
    """Withdraw a wrong year: it stays on the enterprise's page as 已撤回, and no count uses it again.

    Who may: those who edit the enterprise (its town's or park's staff, a coordinator); an
    enterprise's own account never. The enterprise's 规上 flag falls back to its latest current year.
    """
    require(by, Action.EDIT_BUSINESS)
    enterprise = Enterprise.objects.get(pk=row.enterprise_id)
    require_in_scope(by, enterprise, Action.EDIT_BUSINESS)
    corrections.check_current(row)
    reason = corrections.clean_reason(reason)
    with transaction.atomic():
        corrections.withdraw(by, row, reason=f"{row.year} 年度指标：{reason}")
        refresh_scale([enterprise.pk])


# Figures that cannot be below zero (value added and tax may be, after losses or refunds).
NOT_NEGATIVE = (
    "output_value",
    "revenue",
    "energy_tce",
    "electricity_10k_kwh",
    "emission_equivalent",
    "rd_spending",
    "employees",
    "land_area_mu",
)


def check_year(year: int, values: dict[str, Any]) -> None:
    """A year's figures as they can be: not negative, whole people, no future year, no 0 亩 to divide by."""
    found: dict[str, str] = {}
    if year > timezone.localdate().year:
        found["year"] = f"年度：{year} 年尚未到来，不能录入"
    for name in NOT_NEGATIVE:
        value = values.get(name)
        if value is not None and value < 0:
            found[name] = f"{_label(name)}：不能为负数"
    employees = values.get("employees")
    if employees is not None and "employees" not in found and Decimal(str(employees)) % 1:
        found["employees"] = f"{_label('employees')}：须为整数（人）"
    land = values.get("land_area_mu")
    if land is not None and land == 0:
        # The 亩均 indicators divide by it; the evaluation would count the enterprise as missing data.
        found["land_area_mu"] = (
            f"{_label('land_area_mu')}：0 亩无法计算亩均指标；没有用地请留空，有用地请填写实际亩数"
        )
    if found:
        raise ValidationError(found)


def _label(name: str) -> str:
    return str(getattr(EnterpriseYear._meta.get_field(name), "verbose_name", name))


# A year's 规上 status as one SQL expression, the same rule as `models.year_above_scale`.
YEAR_SCALE = Case(
    When(scale_override=Enterprise.Scale.ABOVE, then=Value(True)),
    When(scale_override=Enterprise.Scale.BELOW, then=Value(False)),
    When(revenue__isnull=True, then=Value(None)),
    When(revenue__gte=ABOVE_SCALE_REVENUE, then=Value(True)),
    default=Value(False),
)


def refresh_scale(enterprise_ids: Iterable[int] | None = None) -> int:
    """Re-derive each year's 规上 status, then the enterprise's from its latest current year with one
    (unless the enterprise is overridden by hand). Returns the enterprises changed."""
    latest = (
        EnterpriseYear.objects.filter(enterprise=OuterRef("pk"), above_scale__isnull=False)
        .order_by("-year")
        .values("above_scale")[:1]
    )
    targets = Enterprise.objects.filter(scale_override="")
    if enterprise_ids is not None:
        ids = list(enterprise_ids)
        changed = 0
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            _refresh_years(EnterpriseYear.all_rows.filter(enterprise_id__in=chunk))
            changed += _refresh(targets.filter(pk__in=chunk), latest)
        return changed
    _refresh_years(EnterpriseYear.all_rows.all())
    return _refresh(targets, latest)


def _refresh_years(rows: Any) -> None:
    """One UPDATE for the rows given: the status is derived, not edited, so it carries no version."""
    rows.update(above_scale=YEAR_SCALE)


def _refresh(targets: Any, latest: Any) -> int:
    annotated = targets.annotate(latest_above=Subquery(latest))
    above = Q(latest_above=True)
    to_above = list(annotated.filter(above, above_scale=False).values_list("pk", flat=True))
    to_below = list(
        annotated.filter(~above | Q(latest_above__isnull=True), above_scale=True).values_list("pk", flat=True)
    )
    for ids, value in ((to_above, True), (to_below, False)):
        for start in range(0, len(ids), 900):  # SQLite limits the parameters of one statement
            Enterprise.objects.filter(pk__in=ids[start : start + 900]).update(above_scale=value)
    return len(to_above) + len(to_below)
