"""Each role's home page, as the person logging in sees it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from zhaoshang.core.models import AuditEvent
from zhaoshang.enterprises.tests.factories import EnterpriseFactory
from zhaoshang.org.tests.factories import JobFactory, LeaderFactory, NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return response.content.decode()


def test_the_home_page_asks_for_a_log_in(client: Any, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.url


def test_a_user_without_a_role_is_told_so(client: Any, county: Any) -> None:
    client.force_login(UserFactory(username="newcomer", display_name="新同事"))
    response = client.get("/")
    body = _text(response)
    assert "您好，新同事" in body and "尚未分配角色" in body
    assert "辖区概况" not in body and "系统管理" not in body and "最新变更" not in body
    assert "没有新消息。" in body


def test_the_administrator_sees_system_tasks_but_not_the_audit_log(client: Any, county: Any) -> None:
    client.force_login(county.admin)
    response = client.get("/")
    body = _text(response)
    assert 'data-role="admin"' in body and "系统管理员" in body
    assert "系统管理" in body and "新建用户" in body and "新建单位" in body
    # 三权分立: the audit log is the auditor's, failed log-ins the security administrator's.
    assert "最新变更" not in body and "完整审计日志" not in body and 'href="/audit/' not in body
    assert "recent_events" not in response.context and "recent_failures" not in response.context


def test_the_security_administrator_sees_failed_log_ins_and_refusals(client: Any, county: Any) -> None:
    client.post("/accounts/login/", {"username": "staff_a", "password": "wrong-password"})
    client.force_login(county.staff_b)
    client.get("/audit/")  # refused
    client.force_login(county.security)
    response = client.get("/")
    body = _text(response)
    assert 'data-role="security_admin"' in body and "安全管理员" in body
    failures = list(response.context["recent_failures"])
    assert len(failures) == 1 and failures[0].action == AuditEvent.Action.LOGIN_FAILED
    assert "最近的登录失败" in body and failures[0].target_repr and failures[0].target_repr in body
    refusals = list(response.context["recent_refusals"])
    assert [e.actor_repr for e in refusals] == [str(county.staff_b)] and "拒绝访问" in body
    assert "完整审计日志" not in body


def test_the_auditor_sees_the_latest_changes(client: Any, county: Any) -> None:
    client.force_login(county.auditor)
    response = client.get("/")
    body = _text(response)
    assert 'data-role="auditor"' in body and "审计员" in body
    assert "最新变更" in body and "完整审计日志" in body and response.context["recent_events"]
    assert "新建用户" not in body and "recent_failures" not in response.context


def test_the_inspector_sees_the_latest_changes_but_no_system_tasks(client: Any, county: Any) -> None:
    EnterpriseFactory(name="督查可见企业", town=county.town_a)
    client.force_login(county.inspector)
    response = client.get("/")
    body = _text(response)
    assert 'data-role="inspector"' in body and "最新变更" in body
    assert "系统管理" not in body and "新建用户" not in body
    assert response.context["recent_events"]  # the county's set-up is in the log
    assert "recent_failures" not in response.context


def test_a_leader_sees_the_county_and_its_leaders(client: Any, county: Any) -> None:
    LeaderFactory(user=county.leader, unit=county.county, title="副县长（分管招商）")
    client.force_login(county.leader)
    response = client.get("/")
    body = _text(response)
    assert 'data-role="leader"' in body and "辖区概况" in body and "县级领导" in body
    assert "副县长（分管招商）" in body
    kinds = {c["kind__name"]: c["n"] for c in response.context["unit_counts"]}
    assert kinds["乡镇/街道"] == 2
    assert "最新变更" not in body and "project_alerts" in response.context


def test_town_staff_see_their_own_unit(client: Any, county: Any) -> None:
    client.force_login(county.staff_a)
    response = client.get("/")
    body = _text(response)
    assert 'data-role="unit_staff"' in body and "单位工作人员" in body and "本单位" in body
    assert "甲镇" in body
    kinds = {c["kind__name"]: c["n"] for c in response.context["unit_counts"]}
    assert "县" not in kinds and kinds.get("乡镇/街道") == 1  # not the county, not 乙镇
    assert "最新变更" not in body


def test_an_enterprise_user_sees_its_enterprises_only(client: Any, county: Any) -> None:
    own = EnterpriseFactory(name="联络员的企业", town=county.town_a)
    own.users.add(county.enterprise)
    EnterpriseFactory(name="别人的企业", town=county.town_a)
    client.force_login(county.enterprise)
    response = client.get("/")
    body = _text(response)
    assert 'data-role="enterprise"' in body and "我的企业" in body
    assert "联络员的企业" in body and f"/enterprises/{own.pk}/" in body and "别人的企业" not in body
    assert "辖区概况" not in body and "unit_counts" not in response.context


def test_unread_notifications_and_own_jobs_are_shown(client: Any, county: Any) -> None:
    NotificationFactory(recipient=county.staff_a, title="项目甲进度滞后")
    NotificationFactory(recipient=county.staff_a, title="已经读过的通知", read_at=timezone.now())
    NotificationFactory(recipient=county.staff_b, title="别人的通知")
    job = JobFactory(created_by=county.staff_a)
    JobFactory(created_by=county.staff_b)
    client.force_login(county.staff_a)
    body = _text(client.get("/"))
    assert "项目甲进度滞后" in body
    assert "已经读过的通知" not in body and "别人的通知" not in body and "没有新消息。" not in body
    assert "我的后台任务" in body and f"/jobs/{job.pk}/" in body
    assert f"{job.label} #{job.pk}" in body and body.count('href="/jobs/') == 1


def test_no_jobs_no_jobs_card(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    body = _text(client.get("/"))
    assert 'data-role="coordinator"' in body and "我的后台任务" not in body


def test_the_admin_role_wins_over_others_held(client: Any, county: Any) -> None:
    from zhaoshang.core.roles import Role
    from zhaoshang.org.tests.factories import MembershipFactory

    MembershipFactory(user=county.staff_a, unit=county.county, role=Role.ADMIN)
    client.force_login(county.staff_a)
    body = _text(client.get("/"))
    assert 'data-role="admin"' in body and "系统管理" in body


# --- in the demo county -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "role", "sees"),
    [
        ("leader", "leader", "县级领导"),
        ("coordinator", "coordinator", "辖区概况"),
        ("town", "unit_staff", "本单位"),
        ("enterprise", "enterprise", "我的企业"),
        ("inspector", "inspector", "最新变更"),
        ("admin", "admin", "系统管理"),
        ("security", "security_admin", "最近的拒绝访问"),
        ("auditor", "auditor", "完整审计日志"),
    ],
)
def test_every_demo_log_in_gets_its_home(
    client: Any, demo_county: Any, username: str, role: str, sees: str
) -> None:
    client.force_login(demo_county.user(username))
    response = client.get("/")
    body = _text(response)
    assert response.status_code == 200 and f'data-role="{role}"' in body and sees in body


def test_the_demo_coordinator_is_warned_of_the_countys_projects(client: Any, demo_county: Any) -> None:
    client.force_login(demo_county.user("coordinator"))
    response = client.get("/")
    alerts = response.context["project_alerts"]
    assert alerts, "the demo has projects that need attention"
    assert "需要关注的项目（预警）" in _text(response)
    project, messages = alerts[0]
    assert project.name in _text(response) and messages
