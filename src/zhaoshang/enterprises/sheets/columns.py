"""The registry's and the yearly figures' columns, the unit choices a principal may use, and the audit events both importers write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from zhaoshang.core import industries, uscc
from zhaoshang.core.imports import RowChange
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import Column, Sheet
from zhaoshang.core.validators import validate_phone
from zhaoshang.enterprises.models import Enterprise
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
    # Last, so that files filled in from an older template still read column by column.
    Column("county_retained_tax", "县级留存税收", kind="decimal", unit="万元"),
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
    """The towns or parks a cell may name: where the user may place an enterprise (import), or, for an
    export, also those of the enterprises the user sees (a park's staff see their firms' towns by name)."""
    if writable:
        return (
            Unit.objects.visible_to(by.acting_for(Action.EDIT_BUSINESS))
            .filter(kind__code=kind)
            .order_by("path")
        )
    shown = Enterprise.objects.visible_to(by).values(kind)
    return (
        Unit.objects.filter(kind__code=kind)
        .filter(Q(pk__in=Unit.objects.visible_to(by).values("pk")) | Q(pk__in=shown))
        .order_by("path")
    )


def _visible(by: Principal) -> Any:
    return Enterprise.objects.visible_to(by.acting_for(Action.EDIT_BUSINESS))


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
