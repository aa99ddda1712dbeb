"""A coordinator narrows the project list to signed projects and sorts them by contract amount: the
table changes in place and the address bar keeps a link to the same list."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from zhaoshang.demo.county import build_demo_county

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_filter_and_sort_projects_without_reloading(page: Page, live_server: object, artifacts: Path) -> None:
    build_demo_county()
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "coordinator")
    page.goto(f"{base}/projects/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("阶段").select_option(label="签约")
    expect(page).to_have_url(f"{base}/projects/?stage=signed")
    body = page.locator("#project-table tbody")
    expect(body.locator("tr").first).to_contain_text("签约")
    page.locator("#project-table thead").get_by_role("link", name="合同金额").click()
    expect(page.locator("#project-table thead")).to_contain_text("合同金额 ▲")
    page.locator("#project-table thead").get_by_role("link", name="合同金额 ▲").click()
    expect(page).to_have_url(f"{base}/projects/?stage=signed&sort=-contract_amount")
    expect(page.locator("#project-table thead")).to_contain_text("合同金额 ▼")
    assert page.evaluate("window.notReloaded") is True
    page.screenshot(path=str(artifacts / "project-list.png"), full_page=True)
