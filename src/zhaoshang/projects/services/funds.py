"""实际到位资金: money in place for a signed project, with its proof; the running total moves with it.

A wrong arrival is refused when implausible, and put right with a trace: corrected (a new row pointing
to the one it replaces) or withdrawn, with a reason; the total counts only current rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core import corrections
from zhaoshang.core.numbers import number
from zhaoshang.core.permissions import require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.projects.models import CURRENCIES, FUND_SOURCES, FUND_USES, FundArrival, Project
from zhaoshang.projects.services.evidence import check_sizes, evidence_store

# A single arrival above this share of the contract amount needs a confirmation with a reason.
LARGE_SHARE = Decimal("0.5")
# 万元 against foreign amount × rate: rounding to the cent of a 万元 (100 元) is tolerated.
RATE_TOLERANCE = Decimal("0.01")


def _checked(
    project: Project,
    *,
    on: dt.date,
    amount: Decimal,
    source: str,
    use: str,
    currency: str,
    foreign_amount: Decimal | None,
    exchange_rate: Decimal | None,
    rate_date: dt.date | None,
    proof: tuple[str, str, bytes] | None,
    proof_required: bool,
    confirm_reason: str,
    replacing: Decimal = Decimal(0),
) -> str:
    """Every plausibility check of one arrival, all problems at once; returns the currency as stored."""
    found: dict[str, str] = {}
    if project.signed_on is None:
        found["on"] = "到位资金：项目签约后才能登记"
    elif on < project.signed_on:
        found["on"] = f"到位日期：不能早于签约日期 {project.signed_on:%Y-%m-%d}"
    elif on > timezone.localdate():
        found["on"] = "到位日期：不能晚于今天（尚未到位的资金不能登记）"
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
        elif rate_date > timezone.localdate():
            found["rate_date"] = "汇率日期：不能晚于今天"
        if foreign_amount and exchange_rate and amount and amount > 0 and foreign_amount > 0:
            expected = foreign_amount * exchange_rate
            if abs(expected - amount) > RATE_TOLERANCE:
                found["amount"] = (
                    f"到位金额：外币金额 {number(foreign_amount, 4)} 万 × 汇率 {number(exchange_rate, 6)}"
                    f" = {number(expected, 4)} 万元，与填写的 {number(amount, 4)} 万元不符"
                )
    if proof is None:
        if proof_required:
            found["proof"] = "证明材料：须上传银行进账单或发票"
    elif proof[0] not in ("bank_record", "invoice"):
        found["proof"] = "证明材料：只能是银行进账单或发票"
    if found:
        raise ValidationError(found)
    contract = project.contract_amount
    if contract and contract > 0 and not (confirm_reason or "").strip():
        total = (project.funds_in_place or Decimal(0)) - replacing + amount
        if total > contract:
            raise ValidationError(
                {
                    "confirm_reason": f"确认原因：到位资金累计 {number(total)} 万元将超过合同金额"
                    f" {number(contract)} 万元，请核对金额；确属如此须勾选确认并写明原因"
                }
            )
        if amount > contract * LARGE_SHARE:
            raise ValidationError(
                {
                    "confirm_reason": f"确认原因：单笔到位 {number(amount)} 万元超过合同金额"
                    f" {number(contract)} 万元的一半，请核对金额；确属如此须勾选确认并写明原因"
                }
            )
    return currency


def _confirmed(reason: str, confirm_reason: str) -> str:
    confirm_reason = (confirm_reason or "").strip()
    return f"{reason}；经确认：{confirm_reason}" if confirm_reason else reason


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
    confirm_reason: str = "",
) -> FundArrival:
    """Record money in place for a signed project; the project's running total moves with it."""
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    currency = _checked(
        project,
        on=on,
        amount=amount,
        source=source,
        use=use,
        currency=currency,
        foreign_amount=foreign_amount,
        exchange_rate=exchange_rate,
        rate_date=rate_date,
        proof=proof,
        proof_required=True,
        confirm_reason=confirm_reason,
    )
    assert proof is not None
    check_sizes([proof])
    with transaction.atomic():
        project.refresh_from_db(fields=["funds_in_place"])  # a running sum: read it under the lock
        arrival = _create(
            by,
            project,
            on=on,
            amount=amount,
            source=source,
            use=use,
            currency=currency,
            foreign_amount=foreign_amount,
            exchange_rate=exchange_rate,
            rate_date=rate_date,
            proof=evidence_store(by, project, *proof),
            note=note,
        )
        audited_update(
            project,
            {"funds_in_place": (project.funds_in_place or Decimal(0)) + amount},
            reason=_confirmed(f"到位资金 {number(amount)} 万元（{on:%Y-%m-%d}）", confirm_reason),
        )
    return arrival


def _create(by: Principal, project: Project, *, source: str, **values: Any) -> FundArrival:
    foreign = source == "foreign"
    return audited_create(
        FundArrival(
            project=project,
            source=source,
            on=values["on"],
            amount=values["amount"],
            use=values["use"],
            currency=values["currency"] if foreign else "CNY",
            foreign_amount=values["foreign_amount"] if foreign else None,
            exchange_rate=values["exchange_rate"] if foreign else None,
            rate_date=values["rate_date"] if foreign else None,
            proof=values["proof"],
            note=(values["note"] or "").strip(),
            corrects=values.get("corrects"),
            by_id=by.user_id,
        )
    )


def fund_arrival_correct(
    by: Principal,
    arrival: FundArrival,
    *,
    reason: str,
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
    confirm_reason: str = "",
) -> FundArrival:
    """Replace a wrong arrival by a corrected one (the original stays, withdrawn, and points to it)."""
    project = Project.objects.get(pk=arrival.project_id)
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    corrections.check_correctable(by, arrival, arrival.by_id)
    reason = corrections.clean_reason(reason)
    currency = _checked(
        project,
        on=on,
        amount=amount,
        source=source,
        use=use,
        currency=currency,
        foreign_amount=foreign_amount,
        exchange_rate=exchange_rate,
        rate_date=rate_date,
        proof=proof,
        proof_required=False,  # the original's proof stays unless a new one is given
        confirm_reason=confirm_reason,
        replacing=arrival.amount,
    )
    if proof is not None:
        check_sizes([proof])
    with transaction.atomic():
        project.refresh_from_db(fields=["funds_in_place"])
        corrections.withdraw(by, arrival, reason=reason, corrected=True)
        new = _create(
            by,
            project,
            on=on,
            amount=amount,
            source=source,
            use=use,
            currency=currency,
            foreign_amount=foreign_amount,
            exchange_rate=exchange_rate,
            rate_date=rate_date,
            proof=evidence_store(by, project, *proof) if proof is not None else arrival.proof,
            note=note,
            corrects=arrival,
        )
        audited_update(
            project,
            {"funds_in_place": (project.funds_in_place or Decimal(0)) - arrival.amount + amount},
            reason=_confirmed(
                f"更正到位资金（{arrival.on:%Y-%m-%d}）：{number(arrival.amount)} 万元更正为"
                f" {number(amount)} 万元（{on:%Y-%m-%d}），原因：{reason}",
                confirm_reason,
            ),
        )
    return new


def fund_arrival_withdraw(by: Principal, arrival: FundArrival, *, reason: str) -> None:
    """Withdraw a wrong arrival: it stays on record, struck out; the total no longer counts it."""
    project = Project.objects.get(pk=arrival.project_id)
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    corrections.check_correctable(by, arrival, arrival.by_id)
    reason = corrections.clean_reason(reason)
    with transaction.atomic():
        project.refresh_from_db(fields=["funds_in_place"])
        corrections.withdraw(by, arrival, reason=reason)
        audited_update(
            project,
            {"funds_in_place": (project.funds_in_place or Decimal(0)) - arrival.amount},
            reason=f"撤回到位资金 {number(arrival.amount)} 万元（{arrival.on:%Y-%m-%d}），原因：{reason}",
        )
