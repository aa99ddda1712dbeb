"""A town's staff import their enterprises from Excel: three bad rows are named, fixed, then imported."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from zhaoshang.demo.county import build_demo_county
from zhaoshang.enterprises.qualifications import ensure_defaults
from zhaoshang.enterprises.tests.factories import make_uscc

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "行业代码",
    "所在乡镇",
    "所在园区",
    "自有用地（亩）",
    "资质",
    "成立日期",
]


def _workbook(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业名录"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(page: Page, name: str, data: bytes) -> None:
    page.get_by_label("导入内容").select_option(label="企业名录")
    page.get_by_label("文件（.xlsx 或 .csv）").set_input_files(
        files=[{"name": name, "mimeType": "application/vnd.ms-excel", "buffer": data}]
    )
    page.get_by_role("button", name="上传并检查").click()


def test_three_bad_rows_are_named_fixed_and_imported(
    page: Page, live_server: object, artifacts: Path
) -> None:
    build_demo_county(enterprises=False)
    ensure_defaults()
    good = [
        make_uscc(301),
        "城关镇示范精密机械有限公司",
        "3421",
        "城关镇",
        None,
        "1,200.5",
        "高新技术企业",
        "2018-06-01",
    ]
    rows = [
        good,
        [
            make_uscc(302)[:-1] + "0" if not make_uscc(302).endswith("0") else make_uscc(302)[:-1] + "1",
            "城关镇示范新材料有限公司",
            "3062",
            "城关镇",
            None,
            80,
            None,
            "2019/3/1",
        ],  # wrong check character
        [
            make_uscc(303),
            "城关镇示范包装有限公司",
            "9999",
            "城关镇",
            None,
            30,
            None,
            None,
        ],  # no such industry
        [
            make_uscc(304),
            "城关镇示范食品有限公司",
            "1371",
            "青山镇",
            None,
            "abc",
            None,
            None,
        ],  # other town, bad land
    ]
    log_in(page, live_server.url, "town")  # type: ignore[attr-defined]
    page.locator("#mainnav").get_by_role("link", name="企业").click()
    page.get_by_role("link", name="从 Excel 导入").click()
    _upload(page, "城关镇企业.xlsx", _workbook(rows))
    errors = page.locator("#import-errors tbody tr")
    expect(page.locator("#batch-status")).to_have_attribute("data-status", "has_errors")
    expect(page.locator("#import-errors")).to_contain_text("第 3 行")
    expect(page.locator("#import-errors")).to_contain_text("校验码不符")
    expect(page.locator("#import-errors")).to_contain_text("第 4 行")
    expect(page.locator("#import-errors")).to_contain_text("不是 GB/T 4754-2017 中的行业代码")
    expect(page.locator("#import-errors")).to_contain_text("第 5 行")
    expect(page.locator("#import-errors")).to_contain_text("“青山镇”不在可选项中")
    assert sorted({errors.nth(i).locator("td").first.inner_text() for i in range(errors.count())}) == [
        "第 3 行",
        "第 4 行",
        "第 5 行",
    ]
    page.screenshot(path=str(artifacts / "import-errors.png"), full_page=True)

    rows[1][0] = make_uscc(302)
    rows[2][2] = "2231"
    rows[3][3], rows[3][5] = "城关镇", "45"
    page.get_by_role("link", name="上传另一个文件").click()
    _upload(page, "城关镇企业（已改正）.xlsx", _workbook(rows))
    expect(page.locator("#batch-status")).to_have_attribute("data-status", "ready")
    expect(page.locator("#import-counts")).to_contain_text("4")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#import-done")).to_be_visible()
    page.screenshot(path=str(artifacts / "import-done.png"), full_page=True)

    page.get_by_role("link", name="查看企业名录").click()
    page.get_by_label("名称、代码或拼音首字母").fill("sfjmjx")  # 示范精密机械 by its pinyin initials
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#enterprise-table")).to_contain_text("城关镇示范精密机械有限公司")
    page.get_by_label("名称、代码或拼音首字母").fill("城关镇示范")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#enterprise-table tbody tr")).to_have_count(4)
    page.get_by_role("link", name="城关镇示范精密机械有限公司").click()
    expect(page.locator("h1")).to_contain_text("高新技术企业")
    page.screenshot(path=str(artifacts / "enterprise-detail.png"), full_page=True)
