"""The API documentation renders from the site's own files, with every other host cut off."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from zhaoshang.demo.county import build_demo_county

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_lists_the_operations_offline(page: Page, live_server: object, artifacts: Path) -> None:
    build_demo_county(enterprises=False)
    base = live_server.url  # type: ignore[attr-defined]
    elsewhere: list[str] = []

    def only_the_site(route: Route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_site)
    log_in(page, base, "coordinator")
    page.goto(f"{base}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("招商 Zhaoshang API")
    expect(
        page.locator(".opblock-summary-description").filter(has_text="单位列表（按权限范围）")
    ).to_be_visible()
    expect(
        page.locator(".opblock-summary-description").filter(has_text="录入或修改一个年度的指标")
    ).to_be_visible()
    page.locator(".opblock-summary-description").filter(has_text="单位详情").click()
    expect(page.locator(".responses-table").first).to_contain_text("记录不存在或不在权限范围内")
    page.screenshot(path=str(artifacts / "api-docs.png"), full_page=True)
    assert elsewhere == []
