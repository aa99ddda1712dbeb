"""The audit log, the inbox and the job pages as people use them, on the demo county."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from zhaoshang.core import jobs, notifications
from zhaoshang.core.models import Job, Notification


def _client(demo: Any, username: str) -> Client:
    client = Client()
    client.force_login(demo.user(username))
    return client


def test_the_audit_log_filters_exports_and_is_closed_to_towns(demo_county: Any) -> None:
    inspector = _client(demo_county, "inspector")
    page = inspector.get("/audit/", {"q": "青山镇", "action": "create", "target_type": "org.unit"})
    text = page.content.decode()
    assert page.status_code == 200 and "青山镇" in text and "城关镇" not in text
    today = timezone.localdate().isoformat()
    assert inspector.get("/audit/", {"date_from": today, "date_to": today}).status_code == 200
    assert inspector.get("/audit/", {"date_from": "明天"}).status_code == 200  # a bad date filters nothing
    export = inspector.get("/audit/", {"format": "xlsx", "target_type": "org.unit"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _client(demo_county, "town").get("/audit/").status_code == 403


def test_checking_the_chain_is_a_job_its_owner_follows(demo_county: Any) -> None:
    auditor = _client(demo_county, "auditor")
    # 三权分立: the system administrator neither reads the log nor checks its chain.
    assert _client(demo_county, "admin").get("/audit/").status_code == 403
    assert _client(demo_county, "admin").post("/audit/verify/").status_code == 403
    response = auditor.post("/audit/verify/")
    job = Job.objects.get(kind="audit.verify")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert auditor.get(f"/jobs/{job.pk}/").status_code == 200
    progress = auditor.get(f"/jobs/{job.pk}/progress/", {"format": "json"}).json()
    assert progress["status"] == Job.Status.QUEUED
    assert auditor.get(f"/jobs/{job.pk}/progress/").status_code == 200  # still polling
    assert jobs.run_pending(limit=1) == 1
    bar = auditor.get(f"/jobs/{job.pk}/progress/", {"then": "reload"})
    assert bar.status_code == 286 and bar["HX-Refresh"] == "true"  # htmx stops and the page reloads
    assert auditor.get(f"/jobs/{job.pk}/progress/", {"format": "json"}).json()["status"] == Job.Status.DONE
    # another person's job does not exist for a town's staff
    assert _client(demo_county, "town").get(f"/jobs/{job.pk}/").status_code == 404
    assert auditor.get("/jobs/999999/").status_code == 404


def test_the_inbox_marks_read_and_opens_only_safe_links(demo_county: Any) -> None:
    person = demo_county.user("town")
    notifications.notify(
        [person.pk], kind="test", title="项目下一步已逾期", link="/projects/", dedupe_key="a"
    )
    notifications.notify([person.pk], kind="test", title="外部链接", link="//evil.example", dedupe_key="b")
    client = _client(demo_county, "town")
    assert "项目下一步已逾期" in client.get("/notifications/").content.decode()
    evil = Notification.objects.get(title="外部链接")
    assert client.get(f"/notifications/{evil.pk}/")["Location"] == "/"
    own = Notification.objects.get(title="项目下一步已逾期")
    assert client.get(f"/notifications/{own.pk}/")["Location"] == "/projects/"
    assert _client(demo_county, "town2").get(f"/notifications/{own.pk}/").status_code == 404
    notifications.notify([person.pk], kind="test", title="第三条", dedupe_key="c")
    page = client.post("/notifications/read/", {"id": ["abc"]}, follow=True).content.decode()
    assert "条消息标为已读。" not in page  # an implausible id selects nothing, never everything
    assert Notification.objects.filter(recipient=person, read_at__isnull=True, title="第三条").exists()
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True).count()
    page = client.post("/notifications/read/", follow=True).content.decode()
    assert f"已将 {unread} 条消息标为已读。" in page
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
