"""Who hears of what happens to a project, and the notices the services send when it happens.

The people concerned with a project are its 包抓领导 (the responsible leader), the staff of its lead
unit (牵头单位) and its task force (工作专班). Each selector answers for many projects at once in a
fixed number of queries; the hooks are called by the services inside their transaction, so a
refused write sends nothing.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from zhaoshang.core import notifications
from zhaoshang.core.notice_kinds import register_kind
from zhaoshang.core.roles import Role
from zhaoshang.core.scoping import Principal
from zhaoshang.org.selectors import members_of
from zhaoshang.projects.engines.lifecycle import Stage
from zhaoshang.projects.models import Project, Review, StageMove

DIGEST = register_kind(
    "project_alerts", "项目预警日报", why="每天一条，列出您包抓、牵头或参加专班的项目中需要跟进的项目。"
).code
MOVE = register_kind("project_move", "项目阶段变更", why="您参加专班的项目变更阶段时提醒您。").code
REVIEW = register_kind("review_decision", "项目预审结论", why="本单位牵头的项目有了预审结论时提醒您。").code

# Who of a lead unit hears of its projects: its staff and its coordinators, not its inspectors.
STAFF_ROLES = (Role.UNIT_STAFF.value, Role.COORDINATOR.value)


def lead_unit_staff(projects: QuerySet[Project]) -> dict[int, set[int]]:
    """Lead unit id → its active staff, for the lead units of these projects: one query."""
    staff: dict[int, set[int]] = defaultdict(set)
    for unit_id, user_id in members_of(projects.values("lead_unit_id"), STAFF_ROLES):
        staff[unit_id].add(user_id)
    return staff


def task_force(projects: QuerySet[Project]) -> dict[int, set[int]]:
    """Project id → the active members of its task force: one query."""
    through = Project.task_force.through
    rows = through.objects.filter(project_id__in=projects.values("pk"), user__is_active=True)
    members: dict[int, set[int]] = defaultdict(set)
    for project_id, user_id in rows.values_list("project_id", "user_id"):
        members[project_id].add(user_id)
    return members


def concerned(projects: QuerySet[Project]) -> dict[int, set[int]]:
    """Project id → everyone concerned with it (leader, lead unit staff, task force): three queries."""
    staff = lead_unit_staff(projects)
    members = task_force(projects)
    found: dict[int, set[int]] = {}
    for pk, leader_id, leader_active, unit_id in projects.values_list(
        "pk", "responsible_leader_id", "responsible_leader__is_active", "lead_unit_id"
    ):
        people = staff.get(unit_id, set()) | members.get(pk, set())
        if leader_id is not None and leader_active:
            people.add(leader_id)
        found[pk] = people
    return found


def _others(people: set[int], by: Principal) -> list[int]:
    """The person who did it is not told of their own act."""
    return sorted(people - {by.user_id} if by.user_id is not None else people)


def _one(project: Project) -> QuerySet[Project]:
    return Project.objects.filter(pk=project.pk)


def project_moved(by: Principal, project: Project, move: StageMove) -> None:
    """A stage move reaches the project's task force."""
    people = task_force(_one(project)).get(project.pk, set())
    source, target = Stage(move.source), Stage(move.target)
    notifications.notify(
        _others(people, by),
        kind=MOVE,
        title=f"{project.name}：{source.label} → {target.label}",
        body=move.opinion,
        link=f"/projects/{project.pk}/",
        dedupe_key=f"project_move:{move.pk}",
    )


def review_decided(by: Principal, project: Project, review: Review) -> None:
    """A pre-review decision reaches the staff of the project's lead unit."""
    people = lead_unit_staff(_one(project)).get(project.lead_unit_id, set())
    decision: Any = dict(Project._meta.get_field("review_decision").flatchoices).get(review.decision)
    notifications.notify(
        _others(people, by),
        kind=REVIEW,
        title=f"{project.name} 预审结论：{decision}",
        body=review.conditions or review.notes,
        link=f"/projects/{project.pk}/",
        dedupe_key=f"review_decision:{review.pk}",
    )
