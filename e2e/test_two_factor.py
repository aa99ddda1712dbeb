"""Browser test: a coordinator sets up two-factor authentication from the QR page and logs in
with a code; the administrator sees the log-in locks. Screenshots go to test-artifacts/."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from e2e.test_roles import log_in
from zhaoshang.demo.county import DEMO_PASSWORD, build_demo_county

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _code(secret: str, steps_ahead: int = 0) -> str:
    totp = TOTP(base64.b32decode(secret), step=30, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_setting_up_two_factor_and_logging_in_with_a_code(
    page: Page, live_server: object, artifacts: Path
) -> None:
    build_demo_county(enterprises=False)
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "coordinator")
    page.goto(f"{base}/accounts/2fa/")
    expect(page.get_by_role("img", name="两步验证二维码")).to_be_visible()
    page.screenshot(path=str(artifacts / "two-factor-setup.png"), full_page=True)
    secret = page.locator("#totp-secret").input_value()
    page.get_by_label("验证码").fill(_code(secret))
    page.get_by_role("button", name="完成设置").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.screenshot(path=str(artifacts / "two-factor-codes.png"), full_page=True)
    page.context.clear_cookies()  # a new log-in, as from another day

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("coordinator")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("两步验证")
    page.screenshot(path=str(artifacts / "two-factor-verify.png"), full_page=True)
    page.get_by_label("验证码").fill(_code(secret, steps_ahead=1))
    page.get_by_role("button", name="验证").click()
    expect(page.locator("h1")).to_contain_text("您好")


def test_the_administrator_sees_a_lock_in_chinese(page: Page, live_server: object, artifacts: Path) -> None:
    build_demo_county(enterprises=False)
    base = live_server.url  # type: ignore[attr-defined]
    for _ in range(5):
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("用户名").fill("town")
        page.get_by_label("密码").fill("wrong-password")
        page.get_by_role("button", name="登录").click()
    expect(page.locator("main")).to_contain_text("账号已锁定")
    log_in(page, base, "admin")
    page.goto(f"{base}/org/lockouts/")
    expect(page.locator("#lockout-table")).to_contain_text("town")
    page.screenshot(path=str(artifacts / "lockouts.png"), full_page=True)
    page.get_by_role("button", name="解除").first.click()
    expect(page.locator("#lockout-table")).to_contain_text("当前没有锁定")
