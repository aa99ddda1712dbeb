"""Browser test of the administrator's daily tasks: an enterprise account that was never linked
is told whom to ask, then locks itself out; the administrator lifts the lock and links the account
to its enterprise from the person's page; the account then logs in and sees its enterprise.
Screenshots go to test-artifacts/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from zhaoshang.core.roles import Role
from zhaoshang.demo.county import DEMO_PASSWORD, build_demo_county
from zhaoshang.enterprises.tests.factories import EnterpriseFactory
from zhaoshang.org.models import Unit
from zhaoshang.org.tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def firm(db: None) -> Any:
    build_demo_county(enterprises=False)
    town = Unit.objects.get(name="城关镇")
    account = UserFactory(username="firm_new", display_name="新联络员", password=DEMO_PASSWORD)
    MembershipFactory(user=account, unit=town, role=Role.ENTERPRISE)
    return EnterpriseFactory(name="城关精密机械有限公司", town=town, contact_phone="13912346130")


def _try(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def _log_in(page: Page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.context.clear_cookies()
    _try(page, base, username, password)
    expect(page.locator("h1")).to_contain_text("您好")


def test_the_administrator_unlocks_and_links_an_enterprise_account(
    page: Page, live_server: Any, firm: Any, artifacts: Path
) -> None:
    base = live_server.url
    _log_in(page, base, "firm_new")
    expect(page.locator("#awaits-enterprise")).to_contain_text("您的账号尚未关联企业")
    page.screenshot(path=str(artifacts / "admin-tasks-1-unlinked.png"), full_page=True)

    page.context.clear_cookies()
    for _ in range(5):
        _try(page, base, "firm_new", "wrong-password-1")
    _try(page, base, "firm_new", DEMO_PASSWORD)
    expect(page.locator("main")).to_contain_text("账号已锁定")

    _log_in(page, base, "admin")
    page.goto(f"{base}/org/users/?q=firm_new")
    page.get_by_role("link", name="新联络员").click()
    expect(page.locator("#user-lock")).to_contain_text("该账号已被锁定")
    page.screenshot(path=str(artifacts / "admin-tasks-2-locked.png"), full_page=True)
    page.locator("#user-lock").get_by_placeholder("原因（可不填）").fill("本人来电，核实身份")
    page.get_by_role("button", name="解除锁定").click()
    expect(page.locator("main")).to_contain_text("已解除锁定")
    expect(page.locator("#user-lock")).to_have_count(0)
    page.get_by_label("企业（统一社会信用代码或全称）").fill(firm.uscc)
    page.locator("#account-enterprises").get_by_label("原因").fill("企业申请")
    page.get_by_role("button", name="关联企业").click()
    expect(page.locator("main")).to_contain_text("已关联：新联络员 今后登录即可查看 城关精密机械有限公司")
    expect(page.locator("#account-enterprises")).to_contain_text("城关精密机械有限公司")
    page.screenshot(path=str(artifacts / "admin-tasks-3-linked.png"), full_page=True)

    _log_in(page, base, "firm_new")
    expect(page.locator("#awaits-enterprise")).to_have_count(0)
    page.get_by_role("link", name="城关精密机械有限公司").click()
    expect(page.locator("h1")).to_contain_text("城关精密机械有限公司")
    expect(page.locator("#contact-phone")).to_have_text("13912346130")
    page.screenshot(path=str(artifacts / "admin-tasks-4-enterprise.png"), full_page=True)
