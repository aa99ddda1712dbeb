"""Project events reach the people concerned: the daily alert digest, stage moves, review decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from zhaoshang.core import jobs
from zhaoshang.core.models import Job, Notification
from zhaoshang.core.roles import Role
from zhaoshang.org.principal import principal_for
from zhaoshang.org.tests.factories import MembershipFactory, UserFactory
from zhaoshang.projects import notices, services
from zhaoshang.projects.models import Project
from zhaoshang.projects.tasks import DIGEST_LINES, digest_drafts, send_digest
from zhaoshang.projects.tests.helpers import COMMITTEE, make_project

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# The fixed clock of the digest: 45 days on, a project created today and never followed up is
# stale (the shipped rules ask for a follow-up every 30 days).
LATER = TODAY + dt.timedelta(days=45)


def _concerned_project(county: Any, name: str = "新能源电池项目") -> Project:
    """A project of the bureau with the county leader responsible and staff A in its task force."""
    return make_project(county, county.coordinator, name=name, task_force=[county.staff_a])


def _digests(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=notices.DIGEST))


def test_the_daily_job_puts_one_digest_in_the_leaders_inbox_and_a_second_run_adds_nothing(
    county: Any, client: Any
) -> None:
    first, second = _concerned_project(county), _concerned_project(county, "智能装备产业园项目")
    queued = jobs.enqueue_daily(
        LATER
    )  # every app's daily job: this one and the others (the chains' digest …)
    assert "projects.alert_digest" in {j.kind for j in queued}
    assert jobs.run_pending() == len(queued)
    (digest,) = _digests(county.leader)
    assert digest.day == LATER and digest.link == "/projects/alerts/"
    assert digest.title == f"项目预警日报（{LATER:%Y-%m-%d}）：2 个项目需要跟进"
    assert {i["link"] for i in digest.items} == {f"/projects/{first.pk}/", f"/projects/{second.pk}/"}
    assert all("天没有跟进记录" in i["note"] for i in digest.items)
    # the same day again: through the worker (the job is already done) and by hand, nothing new
    jobs.enqueue_daily(LATER)
    assert jobs.run_pending() == 0
    assert send_digest(LATER)["sent"] == 0
    assert len(_digests(county.leader)) == 1
    assert Job.objects.filter(kind="projects.alert_digest").count() == 1
    # the lead unit's staff (the coordinator of the bureau) and the task force get theirs too
    assert len(_digests(county.coordinator)) == 1 and len(_digests(county.staff_a)) == 1
    assert _digests(county.staff_b) == []  # not concerned
    client.force_login(county.leader)
    page = client.get("/notifications/").content.decode()
    assert f'href="/projects/{first.pk}/"' in page and "智能装备产业园项目" in page


def test_no_digest_while_nothing_is_in_alert(county: Any) -> None:
    _concerned_project(county)
    assert send_digest(TODAY) == {"people": 0, "sent": 0}


def test_a_person_who_turned_the_digest_off_gets_none(county: Any) -> None:
    from zhaoshang.core import notice_kinds

    _concerned_project(county)
    notice_kinds.preferences_save(principal_for(county.leader), enabled=set())
    send_digest(LATER)
    assert _digests(county.leader) == []
    assert len(_digests(county.staff_a)) == 1


def test_a_long_digest_lists_the_most_overdue_first_and_links_the_rest(county: Any) -> None:
    for n in range(DIGEST_LINES + 2):
        p = _concerned_project(county, f"项目{n:02d}")
        Project.objects.filter(pk=p.pk).update(created_at=timezone.now() - dt.timedelta(days=n))
    (mine,) = [d for d in digest_drafts(LATER) if d.recipient_id == county.leader.pk]
    assert len(mine.items) == DIGEST_LINES and mine.body == "另有 2 个项目，见预警列表。"
    assert mine.items[0]["title"] == f"项目{DIGEST_LINES + 1:02d}"  # created longest ago


def test_the_digest_job_runs_a_fixed_number_of_queries(
    county: Any, django_assert_max_num_queries: Any
) -> None:
    def run_with(count: int) -> int:
        Notification.objects.all().delete()
        for n in range(count):
            p = _concerned_project(county, f"批量项目{count}-{n}")
            p.task_force.add(UserFactory())
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            send_digest(LATER)
        return len(queries)

    few, many = run_with(2), run_with(8)
    assert few == many
    with django_assert_max_num_queries(12):
        send_digest(LATER + dt.timedelta(days=1))


def test_the_people_concerned_are_the_leader_the_lead_units_staff_and_the_task_force(county: Any) -> None:
    gone = UserFactory(is_active=False)
    inspector = UserFactory()
    MembershipFactory(user=inspector, unit=county.bureau, role=Role.INSPECTOR)
    p = make_project(county, county.coordinator, task_force=[county.staff_a])
    p.task_force.add(gone)
    found = notices.concerned(Project.objects.filter(pk=p.pk))
    assert found == {p.pk: {county.leader.pk, county.coordinator.pk, county.staff_a.pk}}


def test_a_move_reaches_the_task_force_but_not_the_mover(county: Any) -> None:
    p = make_project(county, county.coordinator, task_force=[county.staff_a, county.coordinator])
    services.project_move(principal_for(county.coordinator), p, "negotiating", on=TODAY)
    (note,) = Notification.objects.filter(kind=notices.MOVE)
    assert note.recipient == county.staff_a
    assert note.title == "新能源电池项目：线索 → 洽谈"
    assert note.link == f"/projects/{p.pk}/"


def test_a_review_decision_reaches_the_lead_units_staff(county: Any) -> None:
    clerk = UserFactory(display_name="招商局 李明")
    MembershipFactory(user=clerk, unit=county.bureau, role=Role.UNIT_STAFF)
    coordinator = principal_for(county.coordinator)
    p = make_project(county, county.coordinator)
    services.project_move(coordinator, p, "negotiating", on=TODAY)
    services.project_move(coordinator, p, "review", on=TODAY)
    services.review_record(
        coordinator, p, decision="conditional", notes="同意", conditions="须落实用地", votes=COMMITTEE
    )
    (note,) = Notification.objects.filter(kind=notices.REVIEW)
    assert note.recipient == clerk  # the coordinator decided, so is not told
    assert note.title == "新能源电池项目 预审结论：有条件通过" and note.body == "须落实用地"
