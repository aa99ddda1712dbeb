"""A wrong number is refused, or put right with a trace: funds in place and follow-ups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhaoshang.core import audit
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import services
from zhaoshang.projects.models import FollowUp, FundArrival
from zhaoshang.projects.tests.helpers import signed_project

TODAY = timezone.localdate()
PROOF = ("bank_record", "进账单.pdf", b"%PDF-1.4")


def _add(by: Any, p: Any, amount: str, **extra: Any) -> FundArrival:
    values = {"on": TODAY, "source": "in_province", "use": "fixed_assets", "proof": PROOF} | extra
    return services.fund_arrival_add(by, p, amount=Decimal(amount), **values)


def test_an_implausible_arrival_is_refused_naming_the_field(county: Any) -> None:
    staff = principal_for(county.staff_a)
    p = signed_project(county)  # contract 28,000 万元
    with pytest.raises(ValidationError) as refused:
        _add(staff, p, "-5", on=TODAY + dt.timedelta(days=1))
    assert refused.value.message_dict == {
        "on": ["到位日期：不能晚于今天（尚未到位的资金不能登记）"],
        "amount": ["到位金额：必须大于 0（万元）"],
    }
    with pytest.raises(ValidationError) as refused:
        _add(
            staff,
            p,
            "7000",
            source="foreign",
            currency="USD",
            foreign_amount=Decimal(1000),
            exchange_rate=Decimal("7.1"),
            rate_date=TODAY,
        )
    assert refused.value.message_dict["amount"] == [
        "到位金额：外币金额 1,000 万 × 汇率 7.1 = 7,100 万元，与填写的 7,000 万元不符"
    ]
    # The typo of 90 亿: above the contract, refused until someone confirms it with a reason.
    with pytest.raises(ValidationError) as refused:
        _add(staff, p, "900000")
    assert refused.value.message_dict["confirm_reason"] == [
        "确认原因：到位资金累计 900,000 万元将超过合同金额 28,000 万元，请核对金额；确属如此须勾选确认并写明原因"
    ]
    with pytest.raises(ValidationError, match="超过合同金额 28,000 万元的一半"):
        _add(staff, p, "15000")
    _add(staff, p, "15000", confirm_reason="一次性到位设备款，见银行进账单")
    p.refresh_from_db()
    assert p.funds_in_place == Decimal(15000)
    assert "经确认：一次性到位设备款" in audit.history(p)[0].reason


def test_a_wrong_arrival_is_corrected_or_withdrawn_and_the_total_follows(client: Any, county: Any) -> None:
    staff = principal_for(county.staff_a)
    p = signed_project(county)
    wrong = _add(staff, p, "9000")
    kept = _add(staff, p, "1000")
    with pytest.raises(ValidationError, match="原因：更正或撤回必须填写原因"):
        services.fund_arrival_withdraw(staff, kept, reason=" ")
    with pytest.raises(PermissionDenied):  # another town's staff did not record it
        services.fund_arrival_withdraw(principal_for(county.staff_b), kept, reason="误录")
    new = services.fund_arrival_correct(
        staff,
        wrong,
        reason="进账单金额为 900 万元，误录为 9000",
        on=TODAY,
        amount=Decimal(900),
        source="in_province",
        use="fixed_assets",
    )
    p.refresh_from_db()
    assert p.funds_in_place == Decimal(1900)
    wrong = FundArrival.all_rows.get(pk=wrong.pk)
    assert (new.corrects_id, wrong.state_label, new.proof_id) == (wrong.pk, "已更正", wrong.proof_id)
    assert list(p.fund_arrivals.values_list("amount", flat=True)) == [Decimal(1000), Decimal(900)]
    services.fund_arrival_withdraw(principal_for(county.coordinator), kept, reason="重复登记")
    p.refresh_from_db()
    assert p.funds_in_place == Decimal(900)
    with pytest.raises(ValidationError, match="已于 .* 撤回或更正"):
        services.fund_arrival_withdraw(staff, FundArrival.all_rows.get(pk=kept.pk), reason="再撤")
    client.force_login(county.coordinator)
    figures = client.get(f"/projects/figures/?year={TODAY.year}")
    town = {f.unit: f for f in figures.context["units"]}[county.town_a.name]
    assert town.funds == Decimal(900)
    page = client.get(f"/projects/{p.pk}/").content.decode()
    assert "已更正" in page and "已撤回" in page and "重复登记" in page
    assert "更正到位资金" in page and "9,000 万元更正为 900 万元" in page
    assert "撤回到位资金 1,000 万元" in page
    assert audit.verify().ok


def test_the_fund_pages_refuse_a_large_typo_and_correct_with_a_reason(client: Any, county: Any) -> None:
    p = signed_project(county)
    client.force_login(county.coordinator)
    body = {
        "on": TODAY.isoformat(),
        "amount": "900000",
        "source": "in_province",
        "use": "fixed_assets",
        "proof_kind": "bank_record",
        "note": "首笔",
    }

    def proof() -> Any:
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile("进账单.pdf", b"%PDF-1.4", content_type="application/pdf")

    refused = client.post(f"/projects/{p.pk}/funds/", {**body, "proof_file": proof()})
    assert refused.status_code == 200
    assert "确认原因：到位资金累计 900,000 万元将超过合同金额" in refused.content.decode()
    assert refused.context["fund_form"]["note"].value() == "首笔"  # what was typed stays
    ticked = client.post(f"/projects/{p.pk}/funds/", {**body, "proof_file": proof(), "confirm": "on"})
    assert "勾选确认时须写明原因" in ticked.content.decode()
    assert (
        client.post(f"/projects/{p.pk}/funds/", {**body, "amount": "9000", "proof_file": proof()}).status_code
        == 302
    )
    arrival = p.fund_arrivals.get()
    form = client.get(f"/projects/{p.pk}/funds/{arrival.pk}/correct/")
    assert "9,000 万元" in form.content.decode()
    empty = client.post(f"/projects/{p.pk}/funds/{arrival.pk}/correct/", {**body, "amount": "900"})
    assert "更正或撤回原因" in empty.content.decode() and p.fund_arrivals.get().amount == 9000
    done = client.post(
        f"/projects/{p.pk}/funds/{arrival.pk}/correct/", {**body, "amount": "900", "reason": "多录一个 0"}
    )
    assert done.status_code == 302
    p.refresh_from_db()
    assert p.funds_in_place == Decimal(900)


def test_the_api_asks_for_confirm_reason(client: Any, county: Any) -> None:
    p = signed_project(county)
    client.force_login(county.coordinator)
    import base64

    body = {
        "on": TODAY.isoformat(),
        "amount": "900000",
        "source": "in_province",
        "use": "fixed_assets",
        "proof": {
            "kind": "bank_record",
            "filename": "进账单.pdf",
            "content_base64": base64.b64encode(b"%PDF").decode(),
        },
    }
    refused = client.post(f"/api/projects/{p.pk}/funds", body, content_type="application/json")
    assert refused.status_code == 422 and "confirm_reason" in refused.json()["errors"]
    body["confirm_reason"] = "合同另有补充协议"
    assert (
        client.post(f"/api/projects/{p.pk}/funds", body, content_type="application/json").status_code == 201
    )


def test_a_wrong_follow_up_is_corrected_and_the_project_dates_follow(county: Any) -> None:
    staff = principal_for(county.staff_a)
    p = signed_project(county)
    with pytest.raises(ValidationError, match="跟进日期：不能晚于今天"):
        services.follow_up_add(staff, p, on=TODAY + dt.timedelta(days=3), what="未来")
    old = services.follow_up_add(staff, p, on=TODAY - dt.timedelta(days=10), what="洽谈")
    wrong = services.follow_up_add(staff, p, on=TODAY, what="写错项目了", next_date=TODAY)
    p.refresh_from_db()
    assert p.last_follow_up == TODAY
    services.follow_up_withdraw(staff, wrong, reason="记到了别的项目上")
    p.refresh_from_db()
    assert p.last_follow_up == old.on
    new = services.follow_up_correct(
        staff, old, reason="日期写错", on=TODAY - dt.timedelta(days=8), what="洽谈（第二轮）"
    )
    assert FollowUp.all_rows.get(pk=old.pk).state_label == "已更正" and new.corrects_id == old.pk
    assert list(p.follow_ups.values_list("what", flat=True)) == ["洽谈（第二轮）"]


def test_a_project_refuses_implausible_dates_amounts_and_codes(county: Any) -> None:
    from zhaoshang.projects.tests.helpers import COMMITTEE, make_project

    coordinator = principal_for(county.coordinator)
    with pytest.raises(ValidationError) as refused:
        make_project(
            county,
            county.coordinator,
            industry_code="9999",
            planned_investment=Decimal(-1),
            promised_start=TODAY,
            promised_production=TODAY - dt.timedelta(days=1),
        )
    assert refused.value.message_dict == {
        "planned_investment": ["计划投资（万元）：不能为负数"],
        "industry_code": ["行业代码：“9999”不是 GB/T 4754-2017 中的行业代码"],
        "promised_production": [f"约定投产日期：不能早于约定开工日期 {TODAY:%Y-%m-%d}"],
    }
    p = make_project(county, county.coordinator, promised_start=TODAY)
    with pytest.raises(ValidationError, match="约定投产日期：不能早于约定开工日期"):
        services.project_update(coordinator, p, promised_production=TODAY - dt.timedelta(days=2))
    services.project_move(coordinator, p, "negotiating", on=TODAY)
    services.project_move(coordinator, p, "review", on=TODAY)
    services.review_record(coordinator, p, decision="pass", notes="同意", votes=COMMITTEE)
    with pytest.raises(ValidationError, match=f"签约日期：不能早于预审决定日期 {TODAY:%Y-%m-%d}"):
        services.project_move(
            coordinator,
            p,
            "signed",
            on=TODAY - dt.timedelta(days=1),
            supplied={"contract_amount": Decimal("28000")},
            evidence=[("agreement", "投资协议.pdf", b"%PDF")],
        )
