"""The pre-review committee meets on a batch: 发改局 collects submitted projects into a meeting whose
members are users, the committee decides each, and the minutes export as a Word document in Chinese."""

from __future__ import annotations

from typing import Any

import pytest

from zhaoshang.core.docx import text_of
from zhaoshang.core.models import AuditEvent
from zhaoshang.org.models import User
from zhaoshang.projects.committee import Meeting
from zhaoshang.projects.engines.lifecycle import Stage
from zhaoshang.projects.models import Review

pytestmark = pytest.mark.django_db


def _members() -> list[User]:
    return list(User.objects.filter(username__startswith="committee").order_by("username"))


def _pending() -> list[Review]:
    rows = Review.objects.filter(decision="", project__stage=Stage.REVIEW.value, meetings=None)
    return list(rows.order_by("pk"))


def test_the_demo_has_a_meeting_of_users_with_one_project_decided(demo_county: Any) -> None:
    meeting = Meeting.objects.get()
    members = list(meeting.members.order_by("username"))
    assert [u.username for u in members] == [f"committee{i}" for i in range(1, 6)]
    decided = [r for r in meeting.reviews.all() if r.decision]
    assert len(decided) == 1 and meeting.reviews.count() > 1
    assert {v["member"] for v in decided[0].votes} == {str(u) for u in members}
    assert decided[0].decided_by is not None and decided[0].decided_on == meeting.on


def _bring_to_review() -> Review:
    """A project of the demo that waits for pre-review and is on no meeting's agenda yet."""
    meeting = Meeting.objects.get()
    # Decided in a meeting, the demo's other pending submissions are taken off its agenda for this test.
    meeting.reviews.clear()
    pending = _pending()
    assert pending, "the demo keeps projects waiting for pre-review"
    return pending[0]


def test_the_coordinator_calls_a_meeting_with_members_and_projects(client: Any, demo_county: Any) -> None:
    review = _bring_to_review()
    client.force_login(demo_county.user("coordinator"))
    page = client.get("/projects/meetings/")
    assert page.status_code == 200 and review.project.name in page.content.decode()
    bureau = page.context["form"].fields["unit"].queryset.get(name="示范县发展和改革局")
    members = _members()
    response = client.post(
        "/projects/meetings/",
        {
            "on": "2026-11-30",
            "place": "县政府三楼会议室",
            "unit": bureau.pk,
            "members": [u.pk for u in members[:3]],
            "reviews": [review.pk],
            "agenda": "审议新提交项目",
        },
    )
    meeting = Meeting.objects.get(reviews=review)
    assert response.status_code == 302 and response.url == f"/projects/meetings/{meeting.pk}/"
    assert set(meeting.members.all()) == set(members[:3])
    event = AuditEvent.objects.filter(target_type="projects.meeting", target_id=str(meeting.pk)).get()
    assert event.after["members"] == [str(u) for u in members[:3]]
    assert event.after["reviews"] == [review.project.name]


def test_a_meeting_needs_three_members_and_waiting_projects(client: Any, demo_county: Any) -> None:
    review = _bring_to_review()
    decided = Review.objects.exclude(decision="").first()
    assert decided is not None
    client.force_login(demo_county.user("coordinator"))
    bureau = client.get("/projects/meetings/").context["form"].fields["unit"].queryset.first()
    response = client.post(
        "/projects/meetings/",
        {"on": "2026-11-30", "unit": bureau.pk, "members": [_members()[0].pk], "reviews": [review.pk]},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "参会委员：至少 3 名，现为 1 名。" in body
    assert Meeting.objects.filter(reviews=review).count() == 0
    # A decided submission is not offered, and a tampered value is refused by the form.
    response = client.post(
        "/projects/meetings/",
        {
            "on": "2026-11-30",
            "unit": bureau.pk,
            "members": [u.pk for u in _members()],
            "reviews": [decided.pk],
        },
    )
    assert response.status_code == 200 and "上会项目" in response.content.decode()
    assert Meeting.objects.count() == 1  # the demo's own, nothing new


def test_the_committee_decides_a_project_by_its_members_votes(client: Any, demo_county: Any) -> None:
    meeting = Meeting.objects.get()
    review = next(r for r in meeting.reviews.order_by("pk") if not r.decision and not r.vetoed)
    members = list(meeting.members.order_by("display_name", "pk"))
    client.force_login(demo_county.user("coordinator"))
    page = client.get(f"/projects/meetings/{meeting.pk}/")
    assert page.status_code == 200 and f'id="decide-{review.pk}"' in page.content.decode()
    votes = {f"vote_{u.pk}": "pass" for u in members[:3]}
    refused = client.post(
        f"/projects/meetings/{meeting.pk}/reviews/{review.pk}/",
        {"decision": "pass", "notes": "", **votes},
    )
    assert refused.status_code == 200 and "预审意见：必须填写。" in refused.content.decode()
    assert 'value="pass" selected' in refused.content.decode()  # what was typed is kept
    response = client.post(
        f"/projects/meetings/{meeting.pk}/reviews/{review.pk}/",
        {"decision": "pass", "notes": "符合产业方向", **votes, f"vote_note_{members[0].pk}": "同意上会"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.decision == "pass" and review.decided_on == meeting.on
    assert review.decided_by == demo_county.user("coordinator")
    assert [v["member"] for v in review.votes] == [str(u) for u in members[:3]]
    assert review.votes[0]["note"] == "同意上会"
    review.project.refresh_from_db()
    assert review.project.review_decision == "pass"


def test_a_vote_from_outside_the_meeting_is_refused(demo_county: Any) -> None:
    from django.core.exceptions import ValidationError

    from zhaoshang.org.principal import principal_for
    from zhaoshang.projects.services import committee

    meeting = Meeting.objects.get()
    review = next(r for r in meeting.reviews.order_by("pk") if not r.decision)
    stranger = demo_county.user("town")
    with pytest.raises(ValidationError) as refused:
        committee.meeting_decide(
            principal_for(demo_county.user("coordinator")),
            meeting,
            review,
            decision="reject",
            notes="不符合",
            votes={stranger.pk: ("reject", "")},
        )
    assert "不是本次会议的参会委员" in str(refused.value)


def test_the_minutes_export_as_a_word_document_in_chinese(client: Any, demo_county: Any) -> None:
    meeting = Meeting.objects.get()
    decided = next(r for r in meeting.reviews.all() if r.decision)
    client.force_login(demo_county.user("leader"))
    response = client.get(f"/projects/meetings/{meeting.pk}/minutes.docx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert (
        "filename*=UTF-8''" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    )
    text = text_of(response.content)
    assert "项目预审委员会会议纪要" in text and decided.project.name in text
    assert f"会议结论：{decided.get_decision_display()}" in text
    assert f"结论记录人：{decided.decided_by}" in text
    for vote in decided.votes:
        assert vote["member"] in text
    assert "None" not in text and "pass" not in text
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, target_type="projects.meeting").exists()


def test_the_meeting_page_reads_a_bounded_number_of_queries(
    client: Any, demo_county: Any, django_assert_max_num_queries: Any
) -> None:
    meeting = Meeting.objects.get()
    client.force_login(demo_county.user("coordinator"))
    client.get(f"/projects/meetings/{meeting.pk}/")
    with django_assert_max_num_queries(25):
        assert client.get(f"/projects/meetings/{meeting.pk}/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/projects/meetings/").status_code == 200


def test_an_enterprise_does_not_see_the_meeting(client: Any, demo_county: Any) -> None:
    meeting = Meeting.objects.get()
    client.force_login(demo_county.user("enterprise"))
    assert client.get(f"/projects/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/projects/meetings/{meeting.pk}/minutes.docx").status_code == 404
