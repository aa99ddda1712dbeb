from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhaoshang.core import notifications
from zhaoshang.core.models import Notification
from zhaoshang.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class RecordingSender:
    name = "recording"
    sent: list[str] = []

    def send(self, notification: Notification) -> None:
        RecordingSender.sent.append(notification.title)


def test_the_same_alert_reaches_a_person_once_a_day() -> None:
    user = UserFactory()
    first = notifications.notify(
        [user.pk], kind="overdue", title="项目跟进逾期", dedupe_key="project:1:overdue"
    )
    again = notifications.notify(
        [user.pk], kind="overdue", title="项目跟进逾期", dedupe_key="project:1:overdue"
    )
    assert len(first) == 1 and again == []
    Notification.objects.update(day=timezone.localdate() - dt.timedelta(days=1))
    tomorrow = notifications.notify(
        [user.pk], kind="overdue", title="项目跟进逾期", dedupe_key="project:1:overdue"
    )
    assert len(tomorrow) == 1


def test_senders_get_each_notification_after_commit(
    settings: object, django_capture_on_commit_callbacks: object
) -> None:
    settings.ZHAOSHANG_NOTIFICATION_SENDERS = [f"{__name__}.RecordingSender"]  # type: ignore[attr-defined]
    RecordingSender.sent = []
    a, b = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        notifications.notify([a.pk, b.pk, a.pk], kind="k", title="新政策发布")
    assert RecordingSender.sent == ["新政策发布", "新政策发布"]


def test_a_failing_sender_does_not_lose_the_inbox_copy(
    settings: object, django_capture_on_commit_callbacks: object
) -> None:
    settings.ZHAOSHANG_NOTIFICATION_SENDERS = ["builtins.object"]  # has no send(): fails
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        notifications.notify([user.pk], kind="k", title="测试")
    assert notifications.unread_count(user.pk) == 1


def test_the_header_shows_the_unread_count_and_reading_clears_it(client: object) -> None:
    user = UserFactory()
    notifications.notify([user.pk], kind="k", title="第一条", link="/notifications/")
    notifications.notify([user.pk], kind="k", title="第二条")
    client.force_login(user)  # type: ignore[attr-defined]
    page = client.get("/").content.decode()  # type: ignore[attr-defined]
    assert 'id="unread-count">2<' in page
    note = Notification.objects.get(title="第一条")
    assert client.get(f"/notifications/{note.pk}/").url == "/notifications/"  # type: ignore[attr-defined]
    assert notifications.unread_count(user.pk) == 1
    client.post("/notifications/read/")  # type: ignore[attr-defined]
    assert notifications.unread_count(user.pk) == 0


def test_nobody_opens_someone_elses_notification(client: object) -> None:
    owner, other = UserFactory(), UserFactory()
    (note,) = notifications.notify([owner.pk], kind="k", title="私信")
    client.force_login(other)  # type: ignore[attr-defined]
    assert client.get(f"/notifications/{note.pk}/").status_code == 404  # type: ignore[attr-defined]
    assert notifications.unread_count(owner.pk) == 1


def test_marking_with_nonsense_ids_marks_nothing(client: object) -> None:
    user = UserFactory()
    notifications.notify([user.pk], kind="k", title="一")
    client.force_login(user)  # type: ignore[attr-defined]
    for junk in ("abc", "²", "99999999999999999999999"):
        assert client.post("/notifications/read/", {"id": junk}).status_code == 302  # type: ignore[attr-defined]
    assert notifications.unread_count(user.pk) == 1


def test_an_impossible_date_filter_is_refused_politely(client: object) -> None:
    from zhaoshang.core.roles import Role
    from zhaoshang.org.tests.factories import MembershipFactory

    inspector = MembershipFactory(role=Role.INSPECTOR).user
    client.force_login(inspector)  # type: ignore[attr-defined]
    response = client.get("/audit/?date_to=9999-12-31&date_from=abc")  # type: ignore[attr-defined]
    assert response.status_code == 200
