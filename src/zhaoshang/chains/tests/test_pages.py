"""产业链 pages a county's staff work in: setting up a chain and its nodes, the chief's home card,
stalled targets, problems moved and policies withdrawn, the 推进会, the work plan's versions and the
daily digest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from zhaoshang.chains import services, tasks
from zhaoshang.chains.models import Chain, ChainNode, NodeProject, Report
from zhaoshang.chains.tests.helpers import chain, node
from zhaoshang.core.models import AuditEvent, Notification
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.enterprises.tests.factories import EnterpriseFactory
from zhaoshang.org.models import Leader
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import services as project_services

pytestmark = pytest.mark.django_db

TEXTS = {"achievements": "走访 3 家", "shortfalls": "配套不足", "causes": "起步晚", "plan": "赴宁波"}


def test_the_coordinator_sets_up_a_chain_and_its_nodes_from_forms(client: Any, county: Any) -> None:
    Leader.objects.get_or_create(user=county.leader, defaults={"unit": county.county, "title": "副县长"})
    anchor = EnterpriseFactory(name="甲镇重工股份有限公司", town=county.town_a)
    client.force_login(county.coordinator)
    form = {
        "name": "高端装备",
        "chief": county.leader.pk,
        "lead_unit": county.bureau.pk,
        "member_units": [county.town_a.pk],
        "anchors": f"{anchor.uscc}\n不存在的公司",
        "output_target": "300000",
        "min_investment": "-5",
        "target_stale_days": "45",
    }
    refused = client.post("/chains/new/", form)
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "找不到这些企业：不存在的公司" in page and 'value="高端装备"' in page  # typed values kept
    assert "确保该值大于或等于0" in page or "不能为负数" in page
    form |= {"anchors": anchor.uscc, "min_investment": "20000"}
    made = client.post("/chains/new/", form)
    c = Chain.objects.get(name="高端装备")
    assert made.status_code == 302 and made["Location"] == f"/chains/{c.pk}/"
    assert (c.county_id, c.min_investment, c.target_stale_days) == (county.county.pk, Decimal(20000), 45)
    assert list(c.anchors.all()) == [anchor] and list(c.member_units.all()) == [county.town_a]
    detail = client.get(f"/chains/{c.pk}/").content.decode()
    assert "甲镇重工股份有限公司" in detail and "计划投资不低于 20,000 万元" in detail

    edited = client.post(f"/chains/{c.pk}/edit/", form | {"min_investment": "30000", "reason": "提高门槛"})
    c.refresh_from_db()
    assert edited.status_code == 302 and c.min_investment == Decimal(30000)
    assert AuditEvent.objects.filter(target_id=str(c.pk), reason="提高门槛").exists()

    bad = client.post(
        f"/chains/{c.pk}/nodes/add/",
        {"segment": "midstream", "name": "液压件", "industry_codes": "X99", "status": "weak"},
    )
    assert bad.status_code == 400 and "X99" in bad.content.decode()
    ok = client.post(
        f"/chains/{c.pk}/nodes/add/",
        {"segment": "midstream", "name": "液压件", "industry_codes": "C3444", "status": "missing"},
    )
    n = ChainNode.objects.get(chain=c, name="液压件")
    assert ok.status_code == 302 and n.codes == ["3444"]
    assert (
        "液压" in client.get(f"/chains/nodes/{n.pk}/").content.decode()
    )  # the code's name, not only the code

    client.force_login(county.staff_a)  # a town reads the chain but sets up nothing
    assert client.get(f"/chains/{c.pk}/edit/").status_code == 403
    assert client.get(f"/chains/{c.pk}/nodes/add/").status_code == 403


def test_the_chief_s_home_shows_the_month_commitments_problems_and_stalled_targets(
    client: Any, county: Any
) -> None:
    c = chain(county, target_stale_days=30)
    n = node(c, industry_codes="3421")
    coordinator = principal_for(county.coordinator)
    today = timezone.localdate()
    p = project_services.project_create(
        coordinator,
        name="精密轴承项目",
        investor_name="某轴承公司",
        channel="team",
        town=county.town_a,
        lead_unit=county.bureau,
    )
    services.place_projects(SYSTEM, n, [p])
    services.report_file(coordinator, c, today, commitments=[(p, "sign")], **TEXTS)
    services.problem_raise(coordinator, c, title="铸件配套不足", owner_unit=county.bureau, deadline=today)
    stalled = services.target_create(
        coordinator, c, on=today - dt.timedelta(days=40), node=n, name="宁波某集团"
    )
    fresh = services.target_create(coordinator, c, on=today - dt.timedelta(days=5), node=n, name="杭州某公司")

    client.force_login(county.leader)  # the chief
    home = client.get("/").content.decode()
    assert f'id="chief-card-{c.pk}"' in home
    assert "精密轴承项目" in home and "未签约" in home  # this month's commitment beside what happened
    assert "铸件配套不足" in home
    assert "宁波某集团" in home and "杭州某公司" not in home  # only the one stalled past 30 days

    listed = client.get(f"/chains/{c.pk}/lists/targets/?overdue=on").content.decode()
    assert stalled.name in listed and fresh.name not in listed and "停滞" in listed
    client.force_login(county.staff_a)  # a town's staff lead no chain: no card
    assert "chief-card" not in client.get("/").content.decode()


def test_problems_move_on_their_page_and_a_withdrawn_policy_leaves_the_list_not_the_record(
    client: Any, county: Any
) -> None:
    c = chain(county)
    coordinator = principal_for(county.coordinator)
    problem = services.problem_raise(
        coordinator, c, title="用地指标不足", owner_unit=county.bureau, deadline=timezone.localdate()
    )
    policy = services.policy_add(coordinator, c, title="首台套奖励办法")
    client.force_login(county.coordinator)
    refused = client.post(f"/chains/problems/{problem.pk}/", {"status": "solved", "resolution": ""})
    assert refused.status_code == 400 and "解决情况：标记已解决须写明怎样解决的" in refused.content.decode()
    client.post(f"/chains/problems/{problem.pk}/", {"status": "solved", "resolution": "调剂指标 50 亩"})
    problem.refresh_from_db()
    assert (problem.status, problem.resolution) == ("solved", "调剂指标 50 亩")
    page = client.get(f"/chains/problems/{problem.pk}/").content.decode()
    assert "调剂指标 50 亩" in page and "变更历史" in page

    client.post(f"/chains/policies/{policy.pk}/withdraw/", {"reason": ""})
    policy.refresh_from_db()
    assert not policy.withdrawn  # no reason, no withdrawal
    client.post(f"/chains/policies/{policy.pk}/withdraw/", {"reason": "政策已到期"})
    policy.refresh_from_db()
    assert policy.withdrawn
    listed = client.get(f"/chains/{c.pk}/lists/policies/").content.decode()
    assert "已撤下政策“首台套奖励办法”" in listed and "<td>首台套奖励办法</td>" not in listed
    assert AuditEvent.objects.filter(target_id=str(policy.pk), reason="政策已到期").exists()

    client.force_login(county.staff_a)
    assert client.get(f"/chains/problems/{problem.pk}/").status_code == 200  # reads
    assert client.post(f"/chains/problems/{problem.pk}/", {"status": "open"}).status_code == 403


def test_the_meeting_is_scheduled_and_held_from_its_page_locking_the_month(client: Any, county: Any) -> None:
    c = chain(county)
    month = timezone.localdate().replace(day=1)
    services.report_file(principal_for(county.coordinator), c, month, **TEXTS)
    client.force_login(county.coordinator)
    early = client.post("/chains/meetings/", {"month": f"{month:%Y-%m}", "due_on": "2000-01-01"})
    assert early.status_code == 400 and "报告截止日期：不能早于" in early.content.decode()
    due = month + dt.timedelta(days=20)
    assert (
        client.post("/chains/meetings/", {"month": f"{month:%Y-%m}", "due_on": due.isoformat()}).status_code
        == 302
    )
    page = client.get("/chains/meetings/").content.decode()
    assert "1 / 1" in page  # one report of the county's one chain
    meeting = c.county and c.reports.get().chain.county
    from zhaoshang.chains.models import Meeting

    m = Meeting.objects.get(county=meeting, month=month)
    client.post(f"/chains/meetings/{m.pk}/held/", {"held_on": timezone.localdate().isoformat()})
    assert Report.objects.get(chain=c, month=month).locked
    client.force_login(county.staff_a)
    assert (
        client.post("/chains/meetings/", {"month": f"{month:%Y-%m}", "due_on": due.isoformat()}).status_code
        == 403
    )


def test_the_work_plan_keeps_each_version_and_shows_what_changed(client: Any, county: Any) -> None:
    c = chain(county)
    n = node(c)
    services.target_create(SYSTEM, c, node=n, name="苏州某精工集团")
    client.force_login(county.coordinator)
    year = timezone.localdate().year
    first = {"goals": "引进项目 10 个", "measures": "赴长三角招商", "targets": "", "note": "年初制定"}
    assert client.post(f"/chains/{c.pk}/plan/", first).status_code == 302
    second = first | {"goals": "引进项目 12 个", "targets": "苏州某精工集团", "note": "提高目标"}
    client.post(f"/chains/{c.pk}/plan/", second)
    plans = list(c.plans.order_by("number"))
    assert [p.number for p in plans] == [1, 2]
    assert (
        "苏州某精工集团（数控机床，未接触）" in plans[0].targets
    )  # an empty list keeps the 招商清单 as it stood
    page = client.get(f"/chains/{c.pk}/plan/?year={year}").content.decode()
    assert "第 2 版" in page and "提高目标" in page
    assert "- 引进项目 10 个" in page and "+ 引进项目 12 个" in page
    old = client.get(f"/chains/{c.pk}/plan/?year={year}&version=1").content.decode()
    assert "年初制定" in old
    client.force_login(county.staff_a)
    assert client.post(f"/chains/{c.pk}/plan/", first).status_code == 403
    assert c.plans.count() == 2


def test_the_daily_digest_tells_each_person_once_what_to_act_on(county: Any) -> None:
    c = chain(county, target_stale_days=30)
    n = node(c)
    today = timezone.localdate()
    services.meeting_schedule(SYSTEM, county.county, today, today + dt.timedelta(days=2))
    services.target_create(SYSTEM, c, on=today - dt.timedelta(days=45), node=n, name="宁波某集团")
    first = tasks.send_digest(today)
    assert first["sent"] >= 1
    digest = Notification.objects.get(recipient=county.leader, kind="chain_digest")
    titles = [i["title"] for i in digest.items]
    assert any("月报尚未填报" in t for t in titles) and any(
        "1 家目标企业超过 30 天未推进" in t for t in titles
    )
    assert tasks.send_digest(today)["sent"] == 0  # once a day
    services.report_file(SYSTEM, c, today, **TEXTS)
    later = tasks.digest_drafts(today)
    mine = next(d for d in later if d.recipient_id == county.leader.pk)
    assert not any("月报" in i["title"] for i in mine.items)


def test_projects_are_confirmed_onto_a_node_from_its_suggestions(client: Any, county: Any) -> None:
    c = chain(county)
    n = node(c, industry_codes="3421")
    p = project_services.project_create(
        principal_for(county.coordinator),
        name="精密机械项目",
        investor_name="某公司",
        channel="team",
        town=county.town_a,
        lead_unit=county.bureau,
        industry_code="3421",
    )
    client.force_login(county.coordinator)
    assert "精密机械项目" in client.get(f"/chains/nodes/{n.pk}/").content.decode()
    assert client.post(f"/chains/nodes/{n.pk}/place-projects/", {"projects": [p.pk]}).status_code == 302
    assert NodeProject.objects.filter(node=n, project=p).exists()


def test_targets_handed_out_together_reach_their_leader_in_one_message(county: Any) -> None:
    c = chain(county)
    n = node(c)
    made = [
        services.target_create(SYSTEM, c, tell=False, node=n, name=f"目标企业{k}", leader=county.leader)
        for k in range(3)
    ]
    assert services.tell_leaders(made) == 1
    assert services.tell_leaders(made) == 0  # the same day: not again
    note = Notification.objects.get(recipient=county.leader, kind="chain_target_assigned")
    assert note.title == "有 3 家目标企业交由您联系" and len(note.items) == 3
