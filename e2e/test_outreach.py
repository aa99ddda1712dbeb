"""As a team, the coordinator and the recognising unit (发改局): a trip to 长三角 meeting two contacts,
a lead created from it, the investor's visit, the project signed at a 推介会 and followed on the
event's page, a chamber claimed as its referrer, verified and recognised; the project's page then
shows the unit that introduced it and the recognised referrer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.demo.county import DEMO_PASSWORD, build_demo_county
from zhaoshang.org import services as org_services
from zhaoshang.org.models import Unit, User
from zhaoshang.outreach import services
from zhaoshang.outreach.models import ReferrerClaim
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.helpers import sign

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEAM = "第一招商小分队"


def _person(username: str, unit: Unit, name: str) -> User:
    user = org_services.user_create(by=SYSTEM, username=username, password=DEMO_PASSWORD, display_name=name)
    org_services.membership_add(by=SYSTEM, user=user, unit=unit, role=Role.UNIT_STAFF)
    return user


def _as(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, base, username)


def test_from_a_trip_to_a_recognised_referrer(page: Page, live_server: object, artifacts: Path) -> None:
    build_demo_county()
    base = live_server.url  # type: ignore[attr-defined]
    team = Unit.objects.get(name=TEAM)
    fgj = Unit.objects.get(name="示范县发展和改革局")
    county = Unit.objects.get(path=team.jurisdiction_path)
    _person("team1", team, "一组组员")
    _person("fgj", fgj, "发改局认定员")
    services.settings_save(SYSTEM, county, recognising_unit=fgj)
    for name, kind in (("宁波新能源商会", "chamber"), ("陈乡友", "hometown")):
        services.contact_create(
            SYSTEM,
            kind=kind,
            name=name,
            region="yangtze",
            keeper_unit=team,
            home_town="城关镇",
            based_in="宁波",
        )
    today = timezone.localdate()
    start = today - dt.timedelta(days=3)

    # the team records its trip to 长三角, meeting both contacts
    _as(page, base, "team1")
    page.goto(f"{base}/outreach/trips/new/")
    form = page.locator("form[method=post]").last
    form.get_by_label("组织单位").select_option(label=TEAM)
    form.get_by_label("出发日期").fill(start.isoformat())
    form.get_by_label("返回日期").fill((start + dt.timedelta(days=1)).isoformat())
    form.get_by_label("目的区域").select_option(label="长三角")
    form.get_by_label("目的地").fill("宁波")
    form.get_by_label("主要任务").fill("对接储能电池企业")
    form.get_by_label("会见的联络对象").select_option(label=["宁波新能源商会", "陈乡友"])
    form.get_by_label("对接的企业").fill("宁波某储能科技有限公司")
    form.get_by_role("button", name="保存").click()
    expect(page.locator("#trip-contacts")).to_contain_text("宁波新能源商会")
    expect(page.locator("#trip-contacts")).to_contain_text("陈乡友")
    trip_url = page.url

    # the coordinator creates the lead from the trip
    _as(page, base, "coordinator")
    page.goto(trip_url)
    lead = page.locator("#lead-form")
    lead.get_by_label("项目名称").fill("储能电池模组项目")
    lead.get_by_label("投资方").fill("宁波某储能科技有限公司")
    lead.get_by_label("落地乡镇").select_option(label="城关镇")
    lead.get_by_label("牵头单位").select_option(label="示范县招商局")
    lead.get_by_label("计划投资（万元）").fill("50000")
    lead.get_by_role("button", name="创建项目线索").click()
    expect(page.locator("h1")).to_contain_text("储能电池模组项目")
    project = Project.objects.get(name="储能电池模组项目")
    page.goto(trip_url)
    expect(page.locator("#trip-leads")).to_contain_text("储能电池模组项目")

    # the investor's visit
    page.goto(f"{base}/outreach/visits/new/")
    visit = page.locator("form[method=post]").last
    visit.get_by_label("接待单位").select_option(label="示范县招商局")
    visit.get_by_label("来访日期").fill(today.isoformat())
    visit.get_by_label("来访企业").fill("宁波某储能科技有限公司")
    visit.get_by_label("来访人员").fill("王某（董事长）")
    visit.get_by_label("考察地点").fill("示范县经济开发区")
    visit.get_by_label("所属项目").select_option(label="储能电池模组项目")
    visit.get_by_role("button", name="保存").click()
    expect(page.locator("#visit-project")).to_contain_text("储能电池模组项目")

    # the chamber claimed as referrer, before signing
    page.goto(f"{base}/outreach/projects/{project.pk}/")
    claim = page.locator("#claim-form")
    claim.get_by_label("引资人").select_option(label="宁波新能源商会")
    claim.get_by_label("申报单位").select_option(label=TEAM)
    claim.get_by_label("引荐经过及证明材料").fill("商会秘书长牵线，11 月赴宁波会谈纪要")
    claim.get_by_role("button", name="申报").click()
    expect(page.locator("#claim-status")).to_have_text("已申报")

    # the project signs at the 推介会, and the event page follows it
    sign(User.objects.get(username="coordinator"), project, Decimal(48000))
    page.goto(f"{base}/outreach/events/new/")
    event = page.locator("form[method=post]").last
    event.get_by_label("活动类型").select_option(label="推介会")
    event.get_by_label("活动名称").fill("花街节招商推介会")
    event.get_by_label("日期").fill(today.isoformat())
    event.get_by_label("地点").fill("县会展中心")
    event.get_by_label("主办单位").select_option(label="示范县招商局")
    event.get_by_role("button", name="保存").click()
    add = page.locator("#add-form")
    add.get_by_label("项目").select_option(label="储能电池模组项目")
    add.get_by_label("在活动上").select_option(label="签约")
    add.get_by_role("button", name="登记").click()
    row = page.locator("#event-projects tr", has_text="储能电池模组项目")
    expect(row).to_contain_text("签约")
    page.screenshot(path=str(artifacts / "outreach-event.png"), full_page=True)

    # 发改局 verifies and recognises the claim
    _as(page, base, "fgj")
    claim_row = ReferrerClaim.objects.get(project=project)
    page.goto(f"{base}/outreach/claims/{claim_row.pk}/")
    decide = page.locator("#decide-form")
    decide.get_by_label("办理").select_option(label="核实无误")
    decide.get_by_label("意见").fill("与商会核对会谈纪要无误")
    decide.get_by_role("button", name="提交").click()
    expect(page.locator("#claim-status")).to_have_text("已核实")
    decide = page.locator("#decide-form")
    decide.get_by_label("办理").select_option(label="予以认定")
    decide.get_by_role("button", name="提交").click()
    expect(page.locator("#claim-status")).to_have_text("已认定")

    # the project page: the unit that introduced it and the recognised referrer
    _as(page, base, "coordinator")
    page.goto(f"{base}/projects/{project.pk}/")
    expect(page.locator("#introducing-unit")).to_have_text(TEAM)
    expect(page.locator("#recognised-referrer")).to_contain_text("宁波新能源商会")
    expect(page.locator("#recognised-referrer")).to_contain_text("已认定")
    page.screenshot(path=str(artifacts / "outreach-project.png"), full_page=True)
