"""A coordinator narrows the enterprise list: the table changes in place, the address bar keeps a
link that opens the same list, a column sorts both ways, and the industry is picked by its name."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from zhaoshang.demo.county import build_demo_county

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_filter_sort_and_pick_without_reloading(page: Page, live_server: object, artifacts: Path) -> None:
    build_demo_county()
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "coordinator")
    page.goto(f"{base}/enterprises/")
    page.evaluate("window.notReloaded = true")
    rows = page.locator("#enterprise-table tbody tr")
    total = rows.count()

    page.get_by_label("规模").select_option(label="规上")
    expect(page).to_have_url(f"{base}/enterprises/?scale=above")
    expect(page.locator("#enterprise-table tbody")).not_to_contain_text("规下")
    assert page.evaluate("window.notReloaded") is True

    page.get_by_label("行业").fill("水泥")
    expect(page.locator('datalist option[value="3011 水泥制造"]')).to_have_count(1)
    page.get_by_label("行业").fill("3011 水泥制造")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#enterprise-table tbody tr").first).to_contain_text("3011 水泥制造")
    assert page.evaluate("window.notReloaded") is True

    page.get_by_label("行业").fill("")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(f"{base}/enterprises/?scale=above")
    header = page.locator("#enterprise-table thead").get_by_role("link", name="企业名称")
    header.click()
    expect(page).to_have_url(f"{base}/enterprises/?scale=above&sort=-name")
    expect(page.locator("#enterprise-table thead")).to_contain_text("企业名称 ▼")
    first_desc = rows.first.locator("td").first.inner_text()
    page.locator("#enterprise-table thead").get_by_role("link", name="企业名称 ▼").click()
    expect(page.locator("#enterprise-table thead")).to_contain_text("企业名称 ▲")
    assert rows.first.locator("td").first.inner_text() != first_desc
    assert page.evaluate("window.notReloaded") is True
    page.screenshot(path=str(artifacts / "enterprise-list.png"), full_page=True)

    # The address bar is a link to the same list: opened afresh it shows what was on screen.
    shown = rows.first.locator("td").first.inner_text()
    page.goto(page.url)
    expect(rows.first.locator("td").first).to_have_text(shown)
    assert rows.count() <= total
