"""As a town's staff: the enterprise list says how many firms were 规上 this year and last, a wrong
yearly figure is corrected with a reason, a wrong year withdrawn; the page keeps both in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from zhaoshang.demo.county import build_demo_county
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_scale_summary_correction_and_withdrawal(page: Page, live_server: object, artifacts: Path) -> None:
    build_demo_county()
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "coordinator")
    page.goto(f"{base}/enterprises/")
    expect(page.locator("#scale-summary")).to_have_text(
        "2025 年规上企业 99 户，较 2024 年净增 6 户（入规 8 户、退规 2 户）；亿元企业 "
        f"{EnterpriseYear.objects.filter(year=2025, revenue__gte=10000).count()} 户"
    )
    page.screenshot(path=str(artifacts / "enterprise-scale-summary.png"), full_page=True)

    firm = Enterprise.objects.filter(town__name="城关镇", above_scale=True).order_by("name").first()
    assert firm is not None
    page.goto(f"{base}/enterprises/{firm.pk}/")
    expect(page.locator("#year-scale")).to_contain_text("规上")
    revenue = EnterpriseYear.objects.get(enterprise=firm, year=2025).revenue
    page.locator("#year-table").get_by_role("link", name="更正").last.click()
    form = page.locator("form[action$='/years/']")
    expect(form.get_by_label("年度", exact=True)).to_have_value("2025")  # the year's figures, to put right
    form.get_by_label("实缴税金（万元）").fill("321")
    form.get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("2025 年度指标已录入，更正须填写原因")
    form = page.locator("form[action$='/years/']")
    expect(form.get_by_label("实缴税金（万元）")).to_have_value("321")  # what was typed stays
    form.get_by_label("更正原因（修改已录入的年度时必填）").fill("税务局核定数")
    form.get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("已保存 2025 年度指标。")
    expect(page.locator("#history")).to_contain_text("更正 2025 年度指标：税务局核定数")
    corrected = EnterpriseYear.objects.get(enterprise=firm, year=2025)
    assert corrected.tax == 321 and corrected.revenue == revenue  # the other figures stay as they were

    page.locator("#year-table").get_by_role("link", name="撤回").last.click()
    expect(page.locator("#original-record")).to_contain_text("2025 年度指标")
    page.get_by_label("撤回原因").fill("重复填报")
    page.get_by_role("button", name="撤回 2025 年度指标").click()
    expect(page.locator("body")).to_contain_text("2025 年度指标已撤回，原记录留档，各项统计不再计入。")
    expect(page.locator("#withdrawn-years")).to_contain_text("已撤回")
    expect(page.locator("#withdrawn-years")).to_contain_text("2025 年度指标：重复填报")
    expect(page.locator("#year-table thead")).not_to_contain_text("2025")
    page.screenshot(path=str(artifacts / "enterprise-year-withdrawn.png"), full_page=True)
    assert not EnterpriseYear.objects.filter(enterprise=firm, year=2025).exists()
