"""As a coordinator: a 90 亿 typo in funds is refused for want of a confirmation; a wrong arrival is
corrected with a reason, the unit figures follow, and the project's history shows both in Chinese."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zhaoshang.demo.county import build_demo_county
from zhaoshang.org.models import Unit, User
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import services
from zhaoshang.projects.tests.helpers import COMMITTEE

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROOF = [{"name": "进账单.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]


def _signed_project() -> int:
    coordinator = principal_for(User.objects.get(username="coordinator"))
    today = timezone.localdate()
    p = services.project_create(
        coordinator,
        name="更正演示项目",
        investor_name="杭州某机械有限公司",
        channel="team",
        town=Unit.objects.get(name="城关镇"),
        lead_unit=Unit.objects.get(name="示范县招商局"),
        planned_investment=Decimal(30000),
    )
    services.project_move(coordinator, p, "negotiating", on=today)
    services.project_move(coordinator, p, "review", on=today)
    services.review_record(coordinator, p, decision="pass", notes="同意", votes=COMMITTEE)
    services.project_move(
        coordinator,
        p,
        "signed",
        on=today,
        supplied={"contract_amount": Decimal(28000)},
        evidence=[("agreement", "投资协议.pdf", b"%PDF")],
    )
    return p.pk


def _town_funds(page: Page, figures: str) -> Decimal:
    page.goto(figures)
    text = page.locator("#figures-table tbody tr[data-unit='城关镇'] .funds").inner_text()
    return Decimal(text.replace(",", "").replace("—", "0"))


def test_a_typo_is_refused_and_a_wrong_arrival_corrected(
    page: Page, live_server: object, artifacts: Path
) -> None:
    build_demo_county(enterprises=False)
    pk = _signed_project()
    base = live_server.url  # type: ignore[attr-defined]
    figures = f"{base}/projects/figures/?year={timezone.localdate().year}"
    log_in(page, base, "coordinator")
    before = _town_funds(page, figures)

    page.goto(f"{base}/projects/{pk}/")
    funds = page.locator("#fund-form")
    funds.get_by_label("到位金额（万元，人民币）").fill("900000")
    funds.get_by_label("备注").fill("首笔设备款")
    funds.get_by_label("证明材料", exact=True).set_input_files(files=PROOF)
    funds.get_by_role("button", name="登记到位资金").click()
    funds = page.locator("#fund-form")
    expect(funds).to_contain_text("到位资金累计 900,000 万元将超过合同金额 28,000 万元")
    expect(funds.get_by_label("备注")).to_have_value("首笔设备款")  # what was typed stays
    page.screenshot(path=str(artifacts / "funds-typo-refused.png"), full_page=True)

    funds.get_by_label("到位金额（万元，人民币）").fill("9000")
    funds.get_by_label("证明材料", exact=True).set_input_files(files=PROOF)
    funds.get_by_role("button", name="登记到位资金").click()
    expect(page.locator("#funds-total")).to_have_text("9,000")
    assert _town_funds(page, figures) == before + 9000

    page.goto(f"{base}/projects/{pk}/")
    page.locator("#funds-table").get_by_role("link", name="更正").click()
    form = page.locator("#correction-form")
    expect(page.locator("#original-record")).to_contain_text("9,000 万元")
    form.get_by_label("到位金额（万元，人民币）").fill("900")
    form.get_by_label("更正或撤回原因").fill("进账单为 900 万元，多录一个 0")
    form.get_by_role("button", name="更正到位资金").click()
    expect(page.locator("#funds-total")).to_have_text("900")
    table = page.locator("#funds-table")
    expect(table).to_contain_text("已更正")
    expect(table).to_contain_text("进账单为 900 万元，多录一个 0")
    history = page.locator("#history")
    expect(history).to_contain_text("到位资金 9,000 万元")
    expect(history).to_contain_text("9,000 万元更正为 900 万元")
    page.screenshot(path=str(artifacts / "funds-corrected.png"), full_page=True)
    assert _town_funds(page, figures) == before + 900
