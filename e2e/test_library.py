"""A coordinator files a proposal in the 项目储备库, attaches its 建议书, promotes it and matches it to a project."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.demo.county import build_demo_county
from zhaoshang.org.models import Unit
from zhaoshang.projects import services as project_services

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_proposal_from_reserve_to_matched(page: Page, live_server: object, artifacts: Path) -> None:
    build_demo_county(enterprises=False)
    project = project_services.project_create(
        SYSTEM,
        name="年产 3 万吨镁合金项目",
        investor_name="江苏某镁业股份有限公司",
        channel="team",
        town=Unit.objects.get(name="城关镇"),
        lead_unit=Unit.objects.get(name="示范县招商局"),
    )
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "coordinator")
    page.get_by_role("link", name="项目储备库").first.click()
    page.get_by_role("link", name="登记储备项目").click()
    form = page.locator("#promotion-form")
    form.locator("#id_name").fill("年产 5 万吨金属镁项目")
    form.locator("#id_unit").select_option(label="城关镇")
    form.locator("#id_industry_code").fill("3217")
    form.locator("#id_chain_node").fill("冶金及有色金属加工产业链·上游冶炼")
    form.locator("#id_estimated_investment").fill("-5")
    form.locator("#id_land_mu").fill("400")
    form.locator("#id_maturity").select_option(label="项目建议书")
    form.locator("#id_description").fill("依托本县白云石资源，建设皮江法金属镁冶炼生产线。")
    form.get_by_role("button", name="保存").click()
    expect(form).to_contain_text("估算投资（万元）：不能为负数")  # refused, and what was typed stays
    expect(form.locator("#id_description")).to_have_value("依托本县白云石资源，建设皮江法金属镁冶炼生产线。")
    form.locator("#id_estimated_investment").fill("150000")
    form.get_by_role("button", name="保存").click()
    expect(page.locator("#promotion-status")).to_have_text("储备")

    attach = page.locator("#attach-form")
    attach.get_by_label("附件", exact=True).set_input_files(
        files=[{"name": "金属镁项目建议书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    attach.get_by_role("button", name="上传").click()
    expect(page.locator("#promotion-files")).to_contain_text("金属镁项目建议书.pdf")

    move = page.locator("#move-form")
    move.get_by_label("变更到").select_option(label="推介中")
    move.get_by_label("原因").fill("列入年度招商推介目录")
    move.get_by_role("button", name="变更").click()
    expect(page.locator("#promotion-status")).to_have_text("推介中")

    match = page.locator("#match-form")
    match.get_by_label("对接项目").select_option(
        label="年产 3 万吨镁合金项目（江苏某镁业股份有限公司，城关镇）"
    )
    match.get_by_label("对接情况说明").fill("小分队赴苏州考察对接，投资方有意落户")
    match.get_by_role("button", name="确认对接").click()
    expect(page.locator("#promotion-status")).to_have_text("已对接")
    link = page.locator("#matched-project").get_by_role("link", name="年产 3 万吨镁合金项目")
    expect(link).to_be_visible()
    expect(page.locator("#history")).to_contain_text("小分队赴苏州考察对接")
    page.screenshot(path=str(artifacts / "promotion-library.png"), full_page=True)

    page.get_by_role("link", name="项目储备库").first.click()
    expect(page.locator("#status-counts [data-status='matched']")).to_contain_text("1")
    expect(page.locator("#promotion-table")).to_contain_text("年产 3 万吨镁合金项目")
    page.screenshot(path=str(artifacts / "promotion-list.png"), full_page=True)

    page.goto(f"{base}/projects/library/")
    page.locator("#promotion-table").get_by_role("link", name="年产 5 万吨金属镁项目").click()
    page.locator("#matched-project").get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text(project.name)
