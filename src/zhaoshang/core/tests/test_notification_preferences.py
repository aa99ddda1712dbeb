"""消息设置 as a person uses it, sending to many in bulk, and the worker's daily jobs."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhaoshang.core import audit, audit_display, jobs, notice_kinds, notifications
from zhaoshang.core.models import Job, Notification, NotificationPreference
from zhaoshang.org.principal import principal_for

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _client(demo: Any, username: str) -> Client:
    client = Client()
    client.force_login(demo.user(username))
    return client


def test_the_page_lists_every_kind_in_chinese_and_says_which_are_mandatory(demo_county: Any) -> None:
    page = _client(demo_county, "leader").get("/accounts/notifications/")
    text = page.content.decode()
    assert page.status_code == 200
    for kind in notice_kinds.kinds():
        assert kind.label in text and kind.why in text
    assert {"项目预警日报", "项目阶段变更", "亩均评价结果发布", "角色授予与收回"} <= {
        k.label for k in notice_kinds.kinds()
    }
    assert text.count("必收") == 1 + sum(k.mandatory for k in notice_kinds.kinds())  # the note above + badges
    assert 'name="membership" class="form-check-input" disabled' in text  # shown on, cannot be changed
    assert (
        'name="job_done" class="form-check-input" aria-describedby="id_job_done_helptext" id="id_job_done" checked'
        in text
    )
    assert 'id="id_job_done_helptext"' in text
    # linked from the inbox and the account menu
    assert (
        'href="/accounts/notifications/"'
        in _client(demo_county, "leader").get("/notifications/").content.decode()
    )


def test_turning_a_kind_off_is_audited_and_stops_it_turning_it_on_brings_it_back(demo_county: Any) -> None:
    client, leader = _client(demo_county, "leader"), demo_county.user("leader")
    keep = {k.code: "on" for k in notice_kinds.kinds() if k.code != "project_alerts"}
    response = client.post("/accounts/notifications/", keep, follow=True)
    text = response.content.decode()
    assert "消息设置已保存：项目预警日报。" in text
    assert notice_kinds.receives(leader.pk)["project_alerts"] is False
    assert 'id="id_project_alerts"' in text and 'id="id_project_alerts" checked' not in text
    notifications.notify([leader.pk], kind="project_alerts", title="预警", dedupe_key="x")
    assert not Notification.objects.filter(recipient=leader, kind="project_alerts").exists()
    pref = NotificationPreference.objects.get(user=leader, kind="project_alerts")
    (event,) = audit.history(pref)
    assert event.reason == "不再接收“项目预警日报”" and event.actor_id == leader.pk
    rows = audit_display.describe([event])[0][1]
    assert ("类型", "—", "项目预警日报") in rows and ("接收", "—", "否") in rows
    assert "project_alerts" not in str(rows)
    # again with nothing changed, then on again
    assert "消息设置没有变化" in client.post("/accounts/notifications/", keep, follow=True).content.decode()
    client.post("/accounts/notifications/", keep | {"project_alerts": "on"})
    assert notice_kinds.receives(leader.pk)["project_alerts"] is True
    assert audit.history(pref).first().reason == "恢复接收“项目预警日报”"  # type: ignore[union-attr]


def test_a_mandatory_kind_cannot_be_turned_off(demo_county: Any) -> None:
    client, user = _client(demo_county, "town"), demo_county.user("town")
    client.post("/accounts/notifications/", {})  # every switch off, the mandatory ones too
    assert notice_kinds.receives(user.pk)["membership"] is True
    assert notice_kinds.receives(user.pk)["job_done"] is False
    assert not NotificationPreference.objects.filter(user=user, kind="membership").exists()
    notifications.notify([user.pk], kind="membership", title="您被授予统筹协调角色", dedupe_key="m")
    assert Notification.objects.filter(recipient=user, kind="membership").exists()


def test_an_unknown_kind_is_refused_in_chinese(demo_county: Any) -> None:
    with pytest.raises(Exception, match="不认识的消息类型"):
        notice_kinds.preferences_save(principal_for(demo_county.user("town")), enabled={"no_such_kind"})


def test_a_digest_in_the_inbox_shows_each_line_as_its_own_link(demo_county: Any) -> None:
    leader = demo_county.user("leader")
    items = [{"title": "光伏组件项目", "link": "/projects/1/", "note": "已 40 天没有跟进记录"}]
    notifications.notify_many(
        [notifications.Draft(leader.pk, "项目预警日报：1 个项目需要跟进", items=items)],
        kind="project_alerts",
        dedupe_key="digest-test",
    )
    text = _client(demo_county, "leader").get("/notifications/").content.decode()
    assert '<a href="/projects/1/">光伏组件项目</a>' in text and "已 40 天没有跟进记录" in text


class Recording:
    name = "recording"
    sent: list[int] = []

    def send(self, notification: Notification) -> None:
        Recording.sent.append(notification.recipient_id)


def test_notify_many_stores_once_a_day_skips_who_turned_it_off_and_sends_the_new_ones(
    county: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ZHAOSHANG_NOTIFICATION_SENDERS = [f"{__name__}.Recording"]
    Recording.sent = []
    notice_kinds.preferences_save(principal_for(county.staff_b), enabled=set())
    people = [county.leader, county.staff_a, county.staff_b]
    drafts = [notifications.Draft(u.pk, f"致{u}") for u in people]
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.notify_many(drafts[:1], kind="job_done", dedupe_key="k", chunk=1) == 1
        assert notifications.notify_many(drafts + drafts, kind="job_done", dedupe_key="k", chunk=1) == 1
    assert Recording.sent == [county.leader.pk, county.staff_a.pk]  # each new copy sent once
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        county.leader.pk,
        county.staff_a.pk,
    }
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert notifications.notify_many(drafts, kind="job_done", dedupe_key="k", day=tomorrow) == 2


def test_the_worker_queues_each_daily_job_once_a_day_from_the_set_hour(settings: Any) -> None:
    settings.ZHAOSHANG_DAILY_JOBS_HOUR = 7
    day = dt.date(2026, 3, 2)
    early = dt.datetime(2026, 3, 2, 6, 59, tzinfo=SHANGHAI)
    morning = dt.datetime(2026, 3, 2, 7, 0, tzinfo=SHANGHAI)
    assert jobs.daily_due(None, early) is None
    assert jobs.daily_due(None, morning) == day
    assert jobs.daily_due(day, morning) is None  # done today
    assert jobs.daily_due(day, morning + dt.timedelta(days=1)) == day + dt.timedelta(days=1)
    first = jobs.enqueue_daily(day)
    again = jobs.enqueue_daily(day)  # another worker, or a restart
    assert [j.pk for j in first] == [j.pk for j in again]
    digest = Job.objects.get(kind="projects.alert_digest")
    assert digest.params == {"today": "2026-03-02"}
