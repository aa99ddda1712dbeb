"""The committee meeting's reads and its minutes (会议纪要) as a Word document, in Chinese."""

from __future__ import annotations

from typing import cast

from zhaoshang.core import numbers
from zhaoshang.core.docx import Document
from zhaoshang.core.scoping import Principal, ScopedQuerySet
from zhaoshang.projects.committee import Meeting
from zhaoshang.projects.models import REVIEW_DECISIONS, Review
from zhaoshang.projects.services.reviews import VOTES

DECISIONS = dict(REVIEW_DECISIONS)


def meetings(principal: Principal) -> ScopedQuerySet:
    return Meeting.objects.visible_to(principal).select_related("unit", "created_by")


def meeting_for_page(principal: Principal, pk: int) -> Meeting:
    return cast(Meeting, meetings(principal).get_visible_or_404(principal, pk=pk))


def agenda(principal: Principal, meeting: Meeting) -> list[Review]:
    """The meeting's projects the principal may see, in the order submitted, with who decided."""
    return list(
        Review.objects.visible_to(principal)
        .filter(meetings=meeting)
        .select_related("project", "project__town", "decided_by")
        .order_by("submitted_on", "pk")
    )


def minutes(meeting: Meeting, reviews: list[Review]) -> bytes:
    doc = Document()
    doc.title("项目预审委员会会议纪要")
    members = "、".join(str(u) for u in meeting.members.all())
    doc.paragraph(f"会议日期：{meeting.on:%Y年%m月%d日}")
    if meeting.place:
        doc.paragraph(f"会议地点：{meeting.place}")
    doc.paragraph(f"召集单位：{meeting.unit.name}；召集人：{meeting.created_by or '—'}")
    doc.paragraph(f"参会委员：{members}")
    if meeting.agenda:
        doc.paragraph(f"会议议程：{meeting.agenda}")
    decided = sum(1 for r in reviews if r.decision)
    doc.paragraph(f"本次会议审议项目 {len(reviews)} 个，已作出结论 {decided} 个。")
    for n, review in enumerate(reviews, 1):
        project = review.project
        doc.heading(f"{n}. {project.name}")
        doc.paragraph(
            f"投资方：{project.investor_name}；乡镇：{project.town.name}；"
            f"计划投资：{numbers.money(project.planned_investment)}；拟用地：{numbers.mu(project.land_needed_mu)}"
        )
        doc.paragraph(
            f"规则评分：{numbers.number(review.score, 1)}；规则建议：{DECISIONS.get(review.suggestion) or '—'}"
            + ("；触发一票否决" if review.vetoed else "")
        )
        if not review.decision:
            doc.paragraph("会议结论：尚未作出。")
            continue
        doc.paragraph(f"会议结论：{DECISIONS[review.decision]}")
        if review.conditions:
            doc.paragraph(f"通过条件：{review.conditions}")
        doc.paragraph(f"预审意见：{review.notes}")
        doc.table(
            ["委员", "表决", "意见"],
            [[v["member"], VOTES.get(v["vote"], "—"), v.get("note") or "—"] for v in review.votes],
        )
        when = f"{review.decided_on:%Y年%m月%d日}" if review.decided_on else "—"
        doc.paragraph(f"结论记录人：{review.decided_by or '—'}；决定日期：{when}")
    return doc.bytes()
