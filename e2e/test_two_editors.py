"""Two people edit the same proposal in two browsers: the second is told who changed it, and what."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.demo.county import build_demo_county
from zhaoshang.org.models import Unit
from zhaoshang.promotion import services as promotion_services
from zhaoshang.promotion.models import PromotionProject

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_second_editor_keeps_what_they_typed_and_sees_what_changed(
    page: Page, browser: Browser, live_server: object, artifacts: Path
) -> None:
    build_demo_county(enterprises=False)
    proposal = promotion_services.promotion_create(
        SYSTEM,
        name="年产 5 万吨金属镁项目",
        unit=Unit.objects.get(name="城关镇"),
        estimated_investment=Decimal("150000"),
        maturity="proposal",
    )
    base = live_server.url  # type: ignore[attr-defined]
    url = f"{base}/projects/library/{proposal.pk}/edit/"
    other = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860}).new_page()
    log_in(page, base, "coordinator")
    log_in(other, base, "town")
    page.goto(url)
    other.goto(url)  # both read the same version

    page.locator("#id_name").fill("年产 8 万吨金属镁项目")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#promotion-status")).to_have_text("储备")

    other.locator("#id_chain_node").fill("冶金及有色金属加工产业链·上游冶炼")
    other.get_by_role("button", name="保存").click()
    form = other.locator("#promotion-form")
    expect(form).to_contain_text("请刷新后再改")
    expect(other.locator("#stale-changes")).to_contain_text("项目名称")
    expect(other.locator("#stale-changes")).to_contain_text("年产 8 万吨金属镁项目")
    expect(form.locator("#id_chain_node")).to_have_value("冶金及有色金属加工产业链·上游冶炼")
    other.screenshot(path=str(artifacts / "two-editors-refused.png"), full_page=True)
    proposal.refresh_from_db()
    assert (proposal.name, proposal.chain_node) == ("年产 8 万吨金属镁项目", "")
    assert PromotionProject.objects.count() == 1
