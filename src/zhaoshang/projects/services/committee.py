"""The pre-review committee meets on a batch (speech 004): 发改局 collects submitted projects into a meeting
with its members (users) and agenda; the members' votes on each decide it through `review_record`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require, require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.org import references
from zhaoshang.org.models import Unit, User
from zhaoshang.projects.committee import Meeting
from zhaoshang.projects.engines.lifecycle import Stage
from zhaoshang.projects.models import Project, Review
from zhaoshang.projects.services.reviews import MIN_VOTES, review_record


def pending_reviews(by: Principal) -> list[Review]:
    """Submissions in scope still waiting for the committee: the latest of each project in 预审, undecided."""
    rows = (
        Review.objects.visible_to(by)
        .filter(decision="", project__stage=Stage.REVIEW.value)
        .select_related("project")
        .order_by("submitted_on", "pk")
    )
    latest: dict[int, Review] = {}
    for review in rows:
        latest[review.project_id] = review
    return sorted(latest.values(), key=lambda r: (r.submitted_on, r.pk))


def meeting_create(
    by: Principal,
    *,
    unit: Unit,
    on: dt.date,
    members: Iterable[User],
    reviews: Iterable[Review],
    agenda: str = "",
    place: str = "",
) -> Meeting:
    require(by, Action.CONFIGURE_RULES)
    require_in_scope(by, unit, Action.CONFIGURE_RULES)
    members, reviews = list(members), list(reviews)
    found: dict[str, str] = {}
    if len(members) < MIN_VOTES:
        found["members"] = f"参会委员：至少 {MIN_VOTES} 名，现为 {len(members)} 名。"
    else:
        try:
            references.check_people(by, members, field="members", label="参会委员")
        except ValidationError as exc:
            found.update({k: v[0] for k, v in exc.message_dict.items()})
    waiting = {r.pk for r in pending_reviews(by)}
    if not reviews:
        found["reviews"] = "上会项目：至少选择一个已提交预审的项目。"
    elif late := [str(r.project) for r in reviews if r.pk not in waiting]:
        found["reviews"] = f"上会项目：{'、'.join(late)} 不是待预审的项目。"
    if found:
        raise ValidationError(found)
    with transaction.atomic():
        meeting = Meeting(
            unit=unit, on=on, place=place.strip(), agenda=agenda.strip(), created_by_id=by.user_id
        )
        meeting.full_clean()
        meeting.save()
        meeting.members.set(members)
        meeting.reviews.set(reviews)
        after = audit.snapshot(meeting) | {
            "members": [str(u) for u in members],
            "reviews": [str(r.project) for r in reviews],
        }
        audit.record(AuditEvent.Action.CREATE, meeting, after=after, reason="召集预审会议")
    return meeting


def meeting_decide(
    by: Principal,
    meeting: Meeting,
    review: Review,
    *,
    decision: str,
    notes: str,
    conditions: str = "",
    votes: Mapping[int, tuple[str, str]],
) -> Review:
    """The committee's decision on one project of the meeting; `votes` maps each member's user id to
    (vote, note). Members who did not vote are left out; a vote from anyone else is refused."""
    require_in_scope(by, meeting, Action.CONFIGURE_RULES)
    if not meeting.reviews.filter(pk=review.pk).exists():
        raise ValidationError({"review": "该项目不在本次会议的议程中。"})
    members = {u.pk: u for u in meeting.members.all()}
    if strangers := [uid for uid in votes if uid not in members]:
        raise ValidationError({"votes": f"委员表决：{len(strangers)} 人不是本次会议的参会委员。"})
    cast = [
        {"member": str(members[uid]), "vote": vote, "note": note}
        for uid, (vote, note) in votes.items()
        if vote
    ]
    project = Project.objects.get(pk=review.project_id)
    return review_record(
        by, project, decision=decision, notes=notes, conditions=conditions, votes=cast, on=meeting.on
    )
