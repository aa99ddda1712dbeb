"""The bureau evaluates the demo county for 2025, explains a D grade, handles an objection, publishes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from zhaoshang.demo.county import build_demo_county
from zhaoshang.evaluation.models import Evaluation, Objection

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_evaluate_explain_object_resolve_publish(page: Page, live_server: object, artifacts: Path) -> None:
    build_demo_county()
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "coordinator")
    page.get_by_role("link", name="亩均评价", exact=True).click()
    expect(page.get_by_role("heading", name="亩均效益综合评价")).to_be_visible()
    # last year's published results are listed; this year's are not yet run
    expect(page.locator("#run-table")).to_contain_text("已发布")
    row = page.locator("#scheme-table tr").filter(has_text="2025").filter(has_text="规上企业")
    row.get_by_role("button", name="开始评价").click()

    expect(page.locator("#run-status")).to_contain_text("公示中")
    expect(page.locator("#grade-table")).to_contain_text("D类（限制淘汰）")
    page.wait_for_function("() => window.chartReady === true")  # a function: no eval under the CSP
    page.screenshot(path=str(artifacts / "evaluation-run.png"), full_page=True)

    page.get_by_label("类别").select_option("D")
    # Choosing a grade swaps the table in place; wait for the swapped table before opening a row.
    expect(page).to_have_url(re.compile(r"grade=D"))
    first = page.locator("#ranking-table tbody tr").first
    expect(first).to_contain_text("D")
    name = first.locator("td").nth(1).inner_text()
    first.get_by_role("link").click()

    expect(page.locator("#grade-badge")).to_contain_text("D类")
    lines = page.locator("#score-lines")
    expect(lines).to_contain_text("亩均税收")
    expect(lines).to_contain_text("合计")
    expect(page.locator("#measure-table")).to_contain_text("差别化电价")
    expect(page.locator("#measure-table")).to_contain_text("不得参与工业用地竞买")
    page.screenshot(path=str(artifacts / "evaluation-score-card.png"), full_page=True)

    page.get_by_label("对评价结果有异议（公示期内）").fill("我司 2025 年 12 月补缴税款 30 万元未计入。")
    page.get_by_role("button", name="提出异议").click()
    expect(page.get_by_text("异议已登记")).to_be_visible()
    form = page.locator(".resolve-form")
    form.get_by_label("处理结果").select_option("rejected")
    form.get_by_label("处理意见").fill("经税务局核实，补缴税款属 2026 年度，维持原结果。")
    form.get_by_role("button", name="处理").click()
    expect(page.get_by_text("异议已处理")).to_be_visible()
    expect(page.locator(".objection")).to_contain_text("维持原结果")

    page.get_by_role("link", name="2025年度规上企业亩均效益评价（第 1 版）").click()
    expect(page.locator("#objection-table")).to_contain_text(name.strip())
    page.get_by_role("button", name="发布评价结果").click()
    expect(page.get_by_text("提前发布须写明原因")).to_be_visible()  # the notice period has not ended
    page.get_by_label("提前发布原因（公示期未满时必填）").fill("县政府常务会议要求提前发布")
    page.get_by_role("button", name="发布评价结果").click()
    expect(page.locator("#run-status")).to_contain_text("已发布")

    run = Evaluation.objects.get(year=2025, covers="above")
    assert run.status == Evaluation.Status.PUBLISHED
    assert Objection.objects.get(result__run=run).status == Objection.Status.REJECTED
