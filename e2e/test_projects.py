"""A project from lead to construction start: a follow-up, a drag on the board, pre-review with one
rule failing and the committee passing it with conditions, funds in place, the unit's figures, and an
overdue follow-up on the leader's home page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zhaoshang.demo.county import build_demo_county

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _move(page: Page, target: str, **fields: str) -> None:
    form = page.locator("#move-form")
    form.get_by_label("变更到").select_option(label=target)
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name="变更").click()


def test_lead_to_construction_and_the_leaders_alert(page: Page, live_server: object, artifacts: Path) -> None:
    build_demo_county(enterprises=False)
    base = live_server.url  # type: ignore[attr-defined]
    today = timezone.localdate()
    log_in(page, base, "coordinator")
    page.get_by_role("link", name="招商项目").first.click()
    page.get_by_role("link", name="登记项目线索").click()
    form = page.locator("#project-form")
    form.locator("#id_name").fill("年产 10 万吨再生铝项目")
    form.locator("#id_investor_name").fill("浙江某铝业股份有限公司")
    form.locator("#id_channel").select_option(label="以商招商")
    form.locator("#id_industry_code").fill("4210")
    form.locator("#id_planned_investment").fill("50000")
    form.locator("#id_registered_capital").fill("10000")
    form.locator("#id_land_needed_mu").fill("80")
    form.locator("#id_floor_area_ratio").fill("0.8")
    form.locator("#id_energy_tce").fill("500")
    form.locator("#id_promised_output").fill("60000")
    form.locator("#id_promised_tax").fill("3000")
    form.locator("#id_town").select_option(label="城关镇")
    form.locator("#id_lead_unit").select_option(label="示范县招商局")
    form.locator("#id_responsible_leader").select_option(label="李洋")
    form.get_by_role("button", name="保存").click()
    expect(page.locator("#project-stage")).to_have_text("线索")

    follow = page.locator("#follow-up-form")
    follow.get_by_label("跟进日期").fill((today - dt.timedelta(days=20)).isoformat())
    follow.get_by_label("跟进情况").fill("投资方来县考察园区")
    follow.get_by_label("下一步", exact=True).fill("报送项目方案")
    follow.get_by_label("下一步完成日期").fill((today - dt.timedelta(days=10)).isoformat())
    follow.get_by_role("button", name="保存跟进").click()
    expect(page.locator("#project-alerts")).to_contain_text("下一步已逾期 10 天")

    project_url = page.url
    page.goto(f"{base}/projects/?view=board")
    card = page.locator(".board-card", has_text="年产 10 万吨再生铝项目")
    card.drag_to(page.locator(".board-column[data-stage='negotiating']"))
    expect(page.locator(".board-column[data-stage='negotiating']")).to_contain_text("年产 10 万吨再生铝项目")
    card.drag_to(page.locator(".board-column[data-stage='signed']"))  # the state machine says no
    expect(page.locator("#board-problems")).to_contain_text("不能从“洽谈”直接变为“签约”")
    page.goto(project_url)
    expect(page.locator("#project-stage")).to_have_text("洽谈")

    _move(page, "提交预审")
    expect(page.locator("#project-stage")).to_have_text("预审")
    verdicts = page.locator(".review-verdicts")
    expect(verdicts.locator("tr", has_text="容积率")).to_contain_text("不符合")  # 0.8 < 1.0
    expect(verdicts.locator("tr", has_text="负面清单")).to_contain_text("符合")
    expect(page.locator("#review-score")).to_have_text(
        "85.3"
    )  # 25 + 20 + 15 (37.5 of 50 万元/亩) + 5.3 + 15 + 5
    _move(page, "签约", **{"合同金额（万元）": "48000"})
    expect(page.locator("#move-form")).to_contain_text("须通过预审")  # refused, and the amount is kept
    expect(page.locator("#id_contract_amount")).to_have_value("48000")
    review = page.locator("#review-form")
    review.get_by_label("预审结论").select_option(label="有条件通过")
    review.get_by_label("通过条件").fill("容积率提高到 1.0 以上；3 个月内完成公司注册")
    review.get_by_label("预审意见").fill("产业符合主导方向，同意引进")
    for n, (member, vote) in enumerate(
        [("发改局 王强", "有条件同意"), ("自然资源局 刘芳", "同意"), ("生态环境局 陈静", "不同意")], 1
    ):
        review.locator(f"#review_member_{n}").fill(member)
        review.locator(f"#review_vote_{n}").select_option(label=vote)
    review.get_by_role("button", name="记录预审结论").click()
    expect(page.locator("#review-decision")).to_have_text("有条件通过")
    expect(page.locator(".review-record").first).to_contain_text("条件：容积率提高到 1.0 以上")
    expect(page.locator(".review-record").first).to_contain_text("生态环境局 陈静（不同意）")
    page.locator("#move-form").get_by_label("附件类型").select_option(label="投资协议")
    page.locator("#move-form").get_by_label("附件", exact=True).set_input_files(
        files=[{"name": "投资协议.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    _move(page, "签约", **{"合同金额（万元）": "48000"})
    expect(page.locator("#project-stage")).to_have_text("签约")
    expect(page.locator("#deadline-checks")).to_contain_text("签约后")

    funds = page.locator("#fund-form")
    funds.get_by_label("到位金额（万元，人民币）").fill("12000")
    funds.get_by_label("证明材料", exact=True).set_input_files(
        files=[{"name": "进账单.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    funds.get_by_role("button", name="登记到位资金").click()
    expect(page.locator("#funds-rate")).to_have_text(
        "25%"
    )  # 12000 of 48000; percentages without trailing zeros, as amounts

    figures = f"{base}/projects/figures/?year={today.year}"
    page.goto(figures)
    town_row = page.locator("#figures-table tbody tr[data-unit='城关镇']")
    expect(town_row.locator(".signed")).to_have_text("1")
    expect(town_row.locator(".started")).to_have_text("0")
    page.goto(project_url)
    page.locator("#move-form").get_by_label("附件类型").select_option(label="土地出让合同")
    page.locator("#move-form").get_by_label("附件", exact=True).set_input_files(
        files=[{"name": "出让合同.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    _move(page, "供地", **{"土地出让合同面积（亩）": "80"})
    page.locator("#move-form").get_by_label("附件类型").select_option(label="施工许可证")
    page.locator("#move-form").get_by_label("附件", exact=True).set_input_files(
        files=[{"name": "施工许可证.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    _move(page, "开工", **{"开工日期": today.isoformat()})
    expect(page.locator("#project-stage")).to_have_text("开工")
    expect(page.locator("#timeline")).to_contain_text("供地 → 开工")
    page.screenshot(path=str(artifacts / "project-detail.png"), full_page=True)

    page.goto(f"{base}/projects/?view=board")
    expect(page.locator(".board-column[data-stage='started']")).to_contain_text("年产 10 万吨再生铝项目")
    page.goto(figures)
    expect(town_row.locator(".started")).to_have_text("1")  # the unit's figures follow the start
    expect(town_row.locator(".start-rate")).to_have_text("100.0%")
    page.wait_for_function("() => window.chartReady === true")  # a function: no eval under the CSP
    page.screenshot(path=str(artifacts / "project-figures.png"), full_page=True)

    page.context.clear_cookies()
    log_in(page, base, "leader")
    expect(page.locator("#project-alerts")).to_contain_text("年产 10 万吨再生铝项目")
    expect(page.locator("#project-alerts")).to_contain_text("下一步已逾期 10 天")
    page.screenshot(path=str(artifacts / "leader-home-alerts.png"), full_page=True)
