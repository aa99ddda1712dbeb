"""A coordinator edits the rules in forms. Tracking: tightens the follow-up interval and the stage limits
to a day, adds a deadline row, sees how many projects would change alert state, confirms, and the rules
page shows the new rules. Pre-review: raises the 20 亩 floor, adds a negative-list entry, sees which
projects' suggestion changes, confirms. Cohorts: adds a requirement, sees it in the preview's table,
confirms, and the cohort page counts it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from zhaoshang.demo.county import build_demo_county

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_rules_edited_in_forms_with_a_preview(page: Page, live_server: object, artifacts: Path) -> None:
    build_demo_county()  # once for the three forms: building it is the slow part of the test
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "coordinator")
    _tracking(page, base, artifacts)
    _review(page, base, artifacts)
    _cohorts(page, base, artifacts)


def _tracking(page: Page, base: str, artifacts: Path) -> None:
    page.goto(f"{base}/projects/rules/")
    page.locator("#tracking").get_by_role("link", name="用表单修改").click()
    form = page.locator("#tracking-form")
    form.get_by_label("跟进间隔（天）").fill("1")
    for stage in ("线索", "洽谈", "预审", "签约", "供地", "开工", "投产"):
        form.get_by_label(f"“{stage}”阶段最长停留（天）").fill("1")
    rows = form.locator("[data-formset-row]:visible")
    before = rows.count()
    form.get_by_role("button", name="增加一条时限").click()
    expect(rows).to_have_count(before + 1)
    added = rows.nth(before)
    added.get_by_label("类别").select_option(label="用地落实")
    added.get_by_label("名称").fill("签约后 2 个月内落实用地")
    added.get_by_label("期限（月）").fill("2")
    form.get_by_role("button", name="预览影响").click()
    preview = page.locator("#tracking-preview")
    expect(preview).to_contain_text("需要提醒的项目由")
    now, then, newly, cleared = (
        int(preview.locator(f".{k}").inner_text()) for k in ("now", "then", "newly", "cleared")
    )
    assert newly > 0 and cleared == 0 and then == now + newly, (now, then, newly, cleared)  # tightened
    expect(page.locator("[data-formset-row]:visible")).to_have_count(before + 1)  # rows kept as typed
    page.screenshot(path=str(artifacts / "tracking-rules-preview.png"), full_page=True)
    page.get_by_role("button", name="确认保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存示范县的跟踪时限")
    expect(page.locator("#stage-limit-table")).to_contain_text("洽谈")
    expect(page.locator("#tracking")).to_contain_text("超过 1 天没有跟进记录即提醒")
    expect(page.locator("#deadline-table")).to_contain_text("签约后 2 个月内落实用地")


def _review(page: Page, base: str, artifacts: Path) -> None:
    page.goto(f"{base}/projects/rules/")
    page.locator("#review").get_by_role("link", name="用表单修改").click()
    form = page.locator("#review-form")
    form.get_by_label("用地不少于（亩）").fill("200")
    rows = form.locator("[data-formset-row]:visible")
    before = rows.count()
    form.get_by_role("button", name="增加一条").click()
    added = rows.nth(before)
    added.get_by_label("原因").fill("高耗水：洗毛")
    added.get_by_label("关键词").fill("洗毛")
    form.get_by_role("button", name="预览影响").click()
    preview = page.locator("#review-preview")
    expect(preview).to_contain_text("尚未签约的")
    assert int(preview.locator(".changed").inner_text()) > 0  # a higher floor rejects more
    expect(preview.locator("#review-changed")).to_contain_text("→ 不通过")
    page.screenshot(path=str(artifacts / "review-rules-preview.png"), full_page=True)
    page.get_by_role("button", name="确认保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存示范县的预审规则")
    expect(page.locator("#review")).to_contain_text("高耗水：洗毛")


def _cohorts(page: Page, base: str, artifacts: Path) -> None:
    page.goto(f"{base}/projects/rules/")
    page.locator("#cohorts").get_by_role("link", name="用表单修改").click()
    form = page.locator("#cohorts-form")
    rows = form.locator("[data-formset-row]:visible")
    before = rows.count()
    form.get_by_role("button", name="增加一条要求").click()
    added = rows.nth(before)
    added.get_by_label("要求").fill("2026 年签约项目 2027 年 6 月底前全部开工")
    added.get_by_label("签约年度").fill("2026")
    added.get_by_label("比例（%）").fill("100")
    added.get_by_label("截止日期").fill("2027-06-30")
    form.get_by_role("button", name="预览影响").click()
    preview = page.locator("#cohorts-preview")
    expect(preview).to_contain_text("2026 年签约项目 2027 年 6 月底前全部开工")
    page.screenshot(path=str(artifacts / "cohort-rules-preview.png"), full_page=True)
    page.get_by_role("button", name="确认保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存示范县的批次开工要求")
    page.goto(f"{base}/projects/cohorts/")
    expect(page.locator("#cohort-table")).to_contain_text("2026 年签约项目 2027 年 6 月底前全部开工")
