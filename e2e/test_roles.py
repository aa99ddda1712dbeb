"""Browser tests: each role logs in through the form, sees its home page in Chinese, and is kept out
of what it may not see. Screenshots go to test-artifacts/ (git-ignored) for a human to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from zhaoshang.demo.county import DEMO_PASSWORD, build_demo_county
from zhaoshang.org.models import Unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# role → (its badge on the home page, a page it must not reach, what it sees there instead)
FORBIDDEN = {
    "leader": ("领导", "/audit/", "您无权打开此页面"),
    "coordinator": ("统筹协调", "/audit/", "您无权打开此页面"),
    "town": ("单位工作人员", "/org/units/{other_town}/", "页面不存在"),
    "enterprise": ("企业", "/org/units/", "您无权打开此页面"),
    "inspector": ("督查", "/org/units/{own_town}/edit/", "您无权打开此页面"),
    # 三权分立: the system administrator is kept out of the audit log, which the auditor reads.
    "admin": ("系统管理员", "/audit/", "您无权打开此页面"),
    "security": ("安全管理员", "/audit/", "您无权打开此页面"),
    "auditor": ("审计员", None, None),
}


@pytest.fixture
def demo(db: None) -> dict[str, int]:
    build_demo_county(enterprises=False)
    return {
        "own_town": Unit.objects.get(name="城关镇").pk,
        "other_town": Unit.objects.get(name="青山镇").pk,
    }


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_contain_text("您好")


@pytest.mark.parametrize("username", list(FORBIDDEN))
def test_each_role_logs_in_to_its_chinese_home_and_is_kept_out(
    page: Page, live_server: object, demo: dict[str, int], artifacts: Path, username: str
) -> None:
    badge, forbidden, refusal = FORBIDDEN[username]
    log_in(page, live_server.url, username)  # type: ignore[attr-defined]
    expect(page.locator("#role-badge")).to_have_text(badge)
    expect(page.get_by_role("link", name="首页", exact=True)).to_be_visible()
    page.screenshot(path=str(artifacts / f"home-{username}.png"), full_page=True)
    if forbidden:
        page.goto(live_server.url + forbidden.format(**demo))  # type: ignore[attr-defined]
        expect(page.locator("main")).to_contain_text(refusal)
        page.screenshot(path=str(artifacts / f"refused-{username}.png"), full_page=True)
    else:
        page.get_by_role("link", name="审计日志", exact=True).click()
        expect(page.locator("h1")).to_have_text("审计日志")


def test_a_wrong_password_is_answered_in_chinese_and_the_name_kept(
    page: Page, live_server: object, demo: object
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")  # type: ignore[attr-defined]
    page.get_by_label("用户名").fill("town")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".alert-danger")).to_contain_text("用户名和密码")
    expect(page.get_by_label("用户名")).to_have_value("town")


def test_town_staff_keep_their_unit_up_to_date(
    page: Page, live_server: object, demo: dict[str, int], artifacts: Path
) -> None:
    log_in(page, live_server.url, "town")  # type: ignore[attr-defined]
    page.get_by_role("link", name="组织机构").first.click()
    expect(page.locator("#unit-table")).to_contain_text("城关镇")
    expect(page.locator("#unit-table")).not_to_contain_text("青山镇")
    page.get_by_role("link", name="城关镇").click()
    page.get_by_role("link", name="修改联系信息").click()
    page.get_by_label("电话").fill("找王主任")
    page.get_by_label("地址").fill("城关镇工业大道 18 号")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("电话：只能填写数字")
    expect(page.get_by_label("地址")).to_have_value("城关镇工业大道 18 号")
    page.screenshot(path=str(artifacts / "unit-edit-error.png"), full_page=True)
    page.get_by_label("电话").fill("0571-66668888")
    page.get_by_label("修改原因").fill("办公室搬迁")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(page.locator("#history")).to_contain_text("办公室搬迁")
    expect(page.locator("#history")).to_contain_text("0571-66668888")
    page.screenshot(path=str(artifacts / "unit-detail-history.png"), full_page=True)


def test_the_inspector_verifies_the_audit_chain_and_watches_the_progress(
    page: Page, live_server: object, demo: object, artifacts: Path
) -> None:
    from zhaoshang.core import jobs

    log_in(page, live_server.url, "inspector")  # type: ignore[attr-defined]
    page.get_by_role("link", name="审计日志", exact=True).click()
    expect(page.locator("table")).to_contain_text("新建")
    page.get_by_role("button", name="校验审计链").click()
    expect(page.locator("#job-status")).to_have_attribute("data-status", "queued")
    assert jobs.run_pending() == 1  # the worker, here in the test's own thread
    expect(page.locator("#job-result")).to_contain_text("审计链完好", timeout=10_000)
    expect(page.locator(".progress-bar")).to_have_text("100%")
    page.screenshot(path=str(artifacts / "audit-verify.png"), full_page=True)
    page.goto(f"{live_server.url}/")  # type: ignore[attr-defined]
    expect(page.locator("#unread-count")).to_be_visible()
