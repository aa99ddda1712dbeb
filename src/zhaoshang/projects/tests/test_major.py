"""Investor classes and project types as the speeches name them; the 重大项目 tier (a threshold the
coordinator edits) whose projects show their task force and the pre-work checklist of speech 004."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from zhaoshang.core.models import AuditEvent
from zhaoshang.projects.committee import DEFAULT_MAJOR_INVESTMENT, MajorTier, PreWork
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db


def _major_project() -> Project:
    return Project.objects.filter(planned_investment__gte=DEFAULT_MAJOR_INVESTMENT).order_by("pk").first()


def test_investor_classes_and_project_types_are_offered_in_chinese(client: Any, demo_county: Any) -> None:
    client.force_login(demo_county.user("coordinator"))
    body = client.get("/projects/").content.decode()
    for label in ("央企", "国企", "行业龙头", "世界500强", "技改提质", "扩建增量", "新上开发", "引进填补"):
        assert label in body
    project = Project.objects.filter(project_type="upgrade").order_by("pk").first()
    assert project is not None
    listed = client.get("/projects/", {"project_type": "upgrade"})
    names = {p.name for p, _ in listed.context["rows"]}
    assert project.name in names
    assert all(p.project_type == "upgrade" for p, _ in listed.context["rows"])
    detail = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'id="project-type"' in detail and "技改提质" in detail


def test_the_project_form_saves_the_type_and_class(client: Any, demo_county: Any) -> None:
    from zhaoshang.org.principal import principal_for
    from zhaoshang.projects import services

    project = Project.objects.filter(project_type="new").order_by("pk").first()
    services.project_update(
        principal_for(demo_county.user("coordinator")),
        project,
        project_type="expansion",
        investor_rank="central_soe",
    )
    project.refresh_from_db()
    assert project.get_project_type_display() == "扩建增量" and project.get_investor_rank_display() == "央企"


def test_the_export_and_the_api_carry_the_project_type(client: Any, demo_county: Any) -> None:
    from zhaoshang.projects.sheets.projects import PROJECT_SHEET as SHEET

    assert "项目类型" in [c.header for c in SHEET.columns] and "投资方类别" in [
        c.header for c in SHEET.columns
    ]
    project = Project.objects.exclude(project_type="").order_by("pk").first()
    client.force_login(demo_county.user("coordinator"))
    data = client.get(f"/api/projects/{project.pk}").json()
    assert data["project_type"] == project.project_type
    refused = client.patch(
        f"/api/projects/{project.pk}",
        {"version": project.version, "project_type": "bogus"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "项目类型" in refused.json()["errors"]["project_type"][0]


def test_a_major_project_shows_its_task_force_and_pre_work(client: Any, demo_county: Any) -> None:
    project = _major_project()
    client.force_login(demo_county.user("coordinator"))
    body = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'id="major-badge"' in body and 'id="pre-work"' in body
    for label in ("选址", "土地收储", "规划指标", "土地成本", "立项审批"):
        assert label in body
    assert project.task_force.exists() and 'id="task-force-missing"' not in body
    small = Project.objects.filter(planned_investment__lt=DEFAULT_MAJOR_INVESTMENT).order_by("pk").first()
    assert 'id="pre-work"' not in client.get(f"/projects/{small.pk}/").content.decode()


def test_the_pre_work_is_saved_with_dates_and_audited(client: Any, demo_county: Any) -> None:
    project = _major_project()
    client.force_login(demo_county.user("coordinator"))
    today = timezone.localdate()
    response = client.post(
        f"/projects/{project.pk}/pre-work/approval/",
        {
            "approval-planned_on": today.isoformat(),
            "approval-done_on": today.isoformat(),
            "approval-note": "已备案",
        },
    )
    assert response.status_code == 302
    work = PreWork.objects.get(project=project, item="approval")
    assert work.done_on == today and work.note == "已备案"
    event = (
        AuditEvent.objects.filter(target_type="projects.prework", target_id=str(work.pk))
        .order_by("-seq")
        .first()
    )
    assert event is not None and event.reason == "前期工作：立项审批"


def test_a_pre_work_done_in_the_future_is_refused_keeping_what_was_typed(
    client: Any, demo_county: Any
) -> None:
    project = _major_project()
    client.force_login(demo_county.user("coordinator"))
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        f"/projects/{project.pk}/pre-work/site/",
        {"site-planned_on": "2026-01-10", "site-done_on": tomorrow, "site-note": "选址在开发区东片"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "选址完成日期：不能晚于今天。" in body
    assert "选址在开发区东片" in body and tomorrow in body


def test_the_threshold_is_data_the_coordinator_edits(client: Any, demo_county: Any) -> None:
    client.force_login(demo_county.user("coordinator"))
    page = client.get("/projects/major/")
    body = page.content.decode()
    assert page.status_code == 200 and "5 亿元" in body and "系统默认" in body
    assert "重大项目计划投资下限（万元）" in body
    unit = page.context["unit"]
    before = client.get("/projects/", {"major": "on"}).context["rows"]
    refused = client.post("/projects/major/", {"unit": unit.pk, "min_investment": "0"})
    assert (
        refused.status_code == 200
        and "重大项目计划投资下限：须为大于 0 的万元数。" in refused.content.decode()
    )
    response = client.post("/projects/major/", {"unit": unit.pk, "min_investment": "100000"})
    assert response.status_code == 302
    tier = MajorTier.objects.get(unit=unit)
    assert tier.min_investment == Decimal(100000)
    assert AuditEvent.objects.filter(target_type="projects.majortier", target_id=str(tier.pk)).exists()
    assert "10 亿元" in client.get("/projects/major/").content.decode()
    after = client.get("/projects/", {"major": "on"}).context["rows"]
    assert all(p.planned_investment >= Decimal(100000) for p, _ in after)
    assert len(after) < len(before)


def test_only_the_rule_maker_changes_the_threshold(client: Any, demo_county: Any) -> None:
    client.force_login(demo_county.user("town"))
    page = client.get("/projects/major/")
    assert page.status_code == 200 and "major-form" not in page.content.decode()
    assert client.post("/projects/major/", {"min_investment": "1"}).status_code == 403
