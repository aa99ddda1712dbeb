"""As the coordinator: setting up a new chain from its form (a wrong figure refused, what was typed
kept), adding a node, and holding the month's 推进会; as the chief: the home page with the chain's
month at a glance."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zhaoshang.chains.models import Chain, Meeting, Report
from zhaoshang.demo.county import build_demo_county

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_sets_up_a_chain_and_the_chief_sees_its_month(
    page: Page, live_server: object, artifacts: Path
) -> None:
    build_demo_county()
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "coordinator")
    page.goto(f"{base}/chains/")
    page.get_by_role("link", name="设立产业链").click()
    form = page.locator("#chain-form")
    form.get_by_label("产业链名称").fill("新能源装备")
    form.get_by_label("链长（县级领导）").select_option(index=1)
    form.get_by_label("牵头单位").select_option(label="示范县经济和信息化局")
    form.get_by_label("年度产值目标（万元）").fill("500000")
    form.get_by_label("准入：计划投资不低于（万元）").fill("-100")
    form.get_by_role("button", name="保存").click()
    expect(page.locator("#chain-form")).to_contain_text("准入：计划投资不低于（万元）")
    expect(form.get_by_label("产业链名称")).to_have_value("新能源装备")  # what was typed stays
    form.get_by_label("准入：计划投资不低于（万元）").fill("30000")
    form.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text("新能源装备产业链")
    expect(page.locator("#chain-summary")).to_contain_text("计划投资不低于 30,000 万元")

    page.get_by_role("link", name="添加环节").click()
    node = page.locator("#node-form")
    node.get_by_label("链段").select_option(label="中游")
    node.get_by_label("环节名称").fill("储能电池")
    node.get_by_label("行业代码").fill("C3841")
    node.get_by_label("环节状态").select_option(label="断点（缺失）")
    node.get_by_role("button", name="添加").click()
    expect(page.locator("h1")).to_contain_text("储能电池")
    expect(page.locator("#node-industries")).to_contain_text("3841")
    page.screenshot(path=str(artifacts / "chain-node-added.png"), full_page=True)

    month = timezone.localdate().replace(day=1)
    page.goto(f"{base}/chains/meetings/")
    row = page.locator("#meetings tr", has_text=f"{month:%Y}年{month.month}月")
    expect(row).to_contain_text("0 / 8")
    page.screenshot(path=str(artifacts / "chain-meetings.png"), full_page=True)

    chief = Chain.objects.get(name="新能源装备").chief
    led = Chain.objects.filter(chief=chief).exclude(name="新能源装备").order_by("sort_order").first()
    assert led is not None
    page.context.clear_cookies()
    log_in(page, base, chief.username)
    card = page.locator(f"#chief-card-{led.pk}")
    expect(card).to_contain_text(f"{led.name}产业链")
    expect(card).to_contain_text("本月月报待填报")
    expect(card).to_contain_text("停滞的目标企业")
    page.screenshot(path=str(artifacts / "chain-chief-home.png"), full_page=True)
    card.get_by_role("link", name="本月月报待填报").click()
    expect(page.locator("h1")).to_contain_text(f"{month:%Y}年{month.month}月链长月报")
    assert not Report.objects.filter(chain=led, month=month).exists()
    assert Meeting.objects.filter(month=month, held_on__isnull=True).exists()
