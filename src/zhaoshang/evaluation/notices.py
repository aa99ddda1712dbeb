"""Who hears of what happens in an evaluation, and the notices its services send.

An objection filed reaches the coordinators of the run's jurisdiction; an objection resolved reaches the
accounts of the enterprise concerned; a run published reaches every enterprise in it, one message
per enterprise account, stored in bulk (a province run has 200,000 enterprises).
"""

from __future__ import annotations

from collections.abc import Iterator

from zhaoshang.core import notifications
from zhaoshang.core.notice_kinds import register_kind
from zhaoshang.core.roles import Role
from zhaoshang.core.scoping import Principal
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.evaluation.method import GRADE_LABELS
from zhaoshang.evaluation.models import Evaluation, Objection
from zhaoshang.org.selectors import jurisdiction_members

FILED = register_kind(
    "objection_filed", "企业对评价结果提出异议", why="本单位的评价收到异议时提醒您处理。"
).code
RESOLVED = register_kind("objection_resolved", "异议处理结果", why="您企业的异议处理完毕时告知结果。").code
PUBLISHED = register_kind(
    "evaluation_published", "亩均评价结果发布", why="评价结果正式发布时告知您企业的类别。"
).code


def run_coordinators(run: Evaluation) -> list[int]:
    """The active coordinators of the jurisdiction the run evaluates (a county's sit in its bureaus)."""
    return jurisdiction_members(run.unit, [Role.COORDINATOR.value])


def enterprise_accounts(enterprise_id: int) -> list[int]:
    """The active accounts that speak for an enterprise."""
    rows = Enterprise.users.through.objects.filter(enterprise_id=enterprise_id, user__is_active=True)
    return sorted(rows.values_list("user_id", flat=True))


def objection_filed(by: Principal, objection: Objection) -> None:
    result = objection.result
    notifications.notify(
        [pk for pk in run_coordinators(result.run) if pk != by.user_id],
        kind=FILED,
        title=f"{result.enterprise} 对“{result.run}”的结果提出异议",
        body=objection.text[:200],
        link=f"/evaluation/results/{result.pk}/",
        dedupe_key=f"objection_filed:{objection.pk}",
    )


def objection_resolved(by: Principal, objection: Objection) -> None:
    result = objection.result
    notifications.notify(
        [pk for pk in enterprise_accounts(result.enterprise_id) if pk != by.user_id],
        kind=RESOLVED,
        title=f"您对“{result.run}”结果的异议：{objection.get_status_display()}",
        body=objection.resolution,
        link=f"/evaluation/results/{result.pk}/",
        dedupe_key=f"objection_resolved:{objection.pk}",
    )


def _published_drafts(run: Evaluation) -> Iterator[notifications.Draft]:
    """One draft per account of each enterprise in the run, read in one streamed query."""
    accounts = Enterprise.users.through.objects.filter(
        enterprise__evaluation_results__run=run, user__is_active=True
    ).order_by("enterprise_id", "user_id")
    rows = accounts.values_list(
        "user_id",
        "enterprise__name",
        "enterprise__evaluation_results__pk",
        "enterprise__evaluation_results__grade",
    )
    for user_id, name, result_id, grade in rows.iterator(chunk_size=2000):
        yield notifications.Draft(
            recipient_id=user_id,
            title=f"“{run}”已发布：{name} 为 {GRADE_LABELS.get(grade, grade)}",
            link=f"/evaluation/results/{result_id}/",
        )


def run_published(run: Evaluation) -> int:
    """Every enterprise in the published run hears its grade: bulk inserts, no query per enterprise."""
    return notifications.notify_many(
        _published_drafts(run), kind=PUBLISHED, dedupe_key=f"run_published:{run.pk}"
    )
