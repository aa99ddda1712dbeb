"""As the coordinator and the chain's lead unit: from the chain's map to a missing node, a target
company visited and turned into a project, the month's report committing it, and next month's report
showing the commitment kept once the project signs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zhaoshang.chains.models import Chain, TargetCompany
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.demo.county import DEMO_PASSWORD, build_demo_county
from zhaoshang.org import services as org_services
from zhaoshang.org.models import Unit, User
from zhaoshang.projects.tests.helpers import sign

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _click_chart_node(page: Page, name: str) -> None:
    """Click the node where ECharts drew it on the canvas, as a person would."""
    point = page.evaluate(
        """(name) => {
            const chart = echarts.getInstanceByDom(document.getElementById("panorama"));
            const data = chart.getModel().getSeriesByIndex(0).getData();
            for (let i = 0; i < data.count(); i++) {
                if (data.getName(i) === name) { return data.getItemGraphicEl(i).transformCoordToGlobal(0, 0); }
            }
            return null;
        }""",
        name,
    )
    assert point, name
    box = page.locator("#panorama").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def test_from_a_missing_node_to_a_kept_commitment(page: Page, live_server: object, artifacts: Path) -> None:
    build_demo_county()
    lead = Unit.objects.get(name="示范县经济和信息化局")
    staff = org_services.user_create(
        by=SYSTEM, username="jxj", password=DEMO_PASSWORD, display_name="经信局链办"
    )
    org_services.membership_add(by=SYSTEM, user=staff, unit=lead, role=Role.UNIT_STAFF)
    chain = Chain.objects.get(name="智能制造")
    base = live_server.url  # type: ignore[attr-defined]

    log_in(page, base, "coordinator")
    page.goto(f"{base}/chains/")
    page.get_by_role("link", name="智能制造").click()
    page.wait_for_function("() => window.chartReady === true")  # a function: no eval under the CSP
    page.screenshot(path=str(artifacts / "chain-map.png"), full_page=True)
    _click_chart_node(page, "工业机器人")
    expect(page.locator("h1")).to_contain_text("工业机器人")
    expect(page.locator("#node-status")).to_have_text("断点（缺失）")
    target = TargetCompany.objects.filter(node__name="工业机器人", status="contacted").order_by("pk").first()
    assert target is not None
    page.locator("#node-targets").get_by_role("link", name=target.name).click()

    move = page.locator("#move-form")
    move.get_by_label("变更到").select_option(label="已拜访")
    move.get_by_label("情况说明").fill("赴成都总部拜访，对方有意在中部布点")
    move.get_by_role("button", name="变更").click()
    expect(page.locator("#target-status")).to_have_text("已拜访")
    convert = page.locator("#convert-form")
    convert.get_by_label("落地乡镇").select_option(label="城关镇")
    convert.get_by_label("计划投资（万元）").fill("60000")
    convert.get_by_label("拟用地（亩）").fill("150")
    convert.get_by_role("button", name="转为项目").click()
    expect(page.locator("#target-project")).to_contain_text("已转为招商项目")
    project_name = f"{target.name}工业机器人项目"
    page.screenshot(path=str(artifacts / "chain-target-converted.png"), full_page=True)

    page.goto(f"{base}/chains/{chain.pk}/lists/projects/")
    expect(page.locator("#five-table")).to_contain_text(project_name)
    page.goto(f"{base}/chains/nodes/{target.node_id}/")
    expect(page.locator("#node-projects")).to_contain_text(project_name)

    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("jxj")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    month = timezone.localdate().replace(day=1)
    page.goto(f"{base}/chains/{chain.pk}/reports/{month:%Y-%m}/")
    form = page.locator("#report-form")
    form.get_by_label("工作成效").fill("拜访目标企业 3 家，新增项目线索 1 个")
    form.get_by_label("问题和不足").fill("工业机器人环节仍为断点")
    form.get_by_label("原因分析").fill("本县缺少整机企业")
    form.get_by_label("下月计划").fill("推动机器人项目签约")
    form.locator("#id_sign").get_by_label(project_name).check()
    form.get_by_role("button", name="提交月报").click()
    expect(page.locator(".alert-success, .alert")).to_contain_text(f"已提交{month:%Y年%m月}月报")

    project = TargetCompany.objects.get(pk=target.pk).project
    assert project is not None
    sign(User.objects.get(username="coordinator"), project, Decimal(60000))
    following = (month + dt.timedelta(days=32)).replace(day=1)
    page.goto(f"{base}/chains/{chain.pk}/reports/{following:%Y-%m}/")
    kept = page.locator("#previous-commitments tr", has_text=project_name)
    expect(kept).to_have_attribute("data-kept", "yes")
    expect(kept).to_contain_text("兑现：已于")
    page.screenshot(path=str(artifacts / "chain-report-kept.png"), full_page=True)
