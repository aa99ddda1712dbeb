"""实际到位资金: money in place for a signed project, with its proof; the running total moves with it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.core.permissions import require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.projects.models import CURRENCIES, FUND_SOURCES, FUND_USES, FundArrival, Project
from zhaoshang.projects.services.evidence import check_sizes, evidence_store


def fund_arrival_add(
    by: Principal,
    project: Project,
    *,
    on: dt.date,
    amount: Decimal,
    source: str,
    use: str,
    currency: str = "CNY",
    foreign_amount: Decimal | None = None,
    exchange_rate: Decimal | None = None,
    rate_date: dt.date | None = None,
    proof: tuple[str, str, bytes] | None = None,
    note: str = "",
) -> FundArrival:
    """Record money in place for a signed project; the project's running total moves with it."""
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    found: dict[str, str] = {}
    if project.signed_on is None:
        found["on"] = "到位资金：项目签约后才能登记"
    elif on < project.signed_on:
        found["on"] = f"到位日期：不能早于签约日期 {project.signed_on:%Y-%m-%d}"
    if amount is None or amount <= 0:
        found["amount"] = "到位金额：必须大于 0（万元）"
    if source not in dict(FUND_SOURCES):
        found["source"] = "资金来源：只能是省外内资、省内资金或外资"
    if use not in dict(FUND_USES):
        found["use"] = "资金用途：只能是固定资产投资或流动资金"
    currency = (currency or "CNY").strip().upper()
    if source == "foreign":
        if currency == "CNY":
            found["currency"] = "币种：外资须选择外币币种（如美元）"
        elif currency not in dict(CURRENCIES):
            found["currency"] = f"币种：“{currency}”不是可选的币种，请从列表中选择"
        if foreign_amount is None or foreign_amount <= 0:
            found["foreign_amount"] = "外币金额：外资须填写大于 0 的外币金额（万）"
        if exchange_rate is None or exchange_rate <= 0:
            found["exchange_rate"] = "汇率：外资须填写大于 0 的汇率（1 外币折合人民币元）"
        if rate_date is None:
            found["rate_date"] = "汇率日期：外资须填写所用汇率的日期"
    if proof is None:
        found["proof"] = "证明材料：须上传银行进账单或发票"
    elif proof[0] not in ("bank_record", "invoice"):
        found["proof"] = "证明材料：只能是银行进账单或发票"
    if found:
        raise ValidationError(found)
    assert proof is not None
    check_sizes([proof])
    with transaction.atomic():
        project.refresh_from_db(
            fields=["funds_in_place"]
        )  # the total is a running sum: read it under the lock
        document = evidence_store(by, project, *proof)
        arrival = audited_create(
            FundArrival(
                project=project,
                on=on,
                amount=amount,
                source=source,
                currency=currency if source == "foreign" else "CNY",
                foreign_amount=foreign_amount if source == "foreign" else None,
                exchange_rate=exchange_rate if source == "foreign" else None,
                rate_date=rate_date if source == "foreign" else None,
                use=use,
                proof=document,
                note=note.strip(),
                by_id=by.user_id,
            )
        )
        audited_update(
            project,
            {"funds_in_place": (project.funds_in_place or Decimal(0)) + amount},
            reason=f"到位资金 {amount} 万元（{on:%Y-%m-%d}）",
        )
    return arrival
