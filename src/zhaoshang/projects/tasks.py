"""Background jobs of the projects: the daily alert digest.

Every morning (the worker queues daily jobs from `ZHAOSHANG_DAILY_JOBS_HOUR`) each person concerned
with a project in alert gets ONE message listing their projects in alert, most overdue first, each
linking to its page. Run by hand: `zhaoshang jobs run projects.alert_digest --param today=2026-03-02`.
A second run the same day adds nothing (one dedupe key per day and person).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils import timezone

from zhaoshang.core.jobs import JobRun, job
from zhaoshang.core.notifications import Draft, notify_many
from zhaoshang.projects import notices
from zhaoshang.projects.models import Project, Rulebook
from zhaoshang.projects.rulebooks import RuleIndex
from zhaoshang.projects.selectors import alerting_for, alerts

# A digest lists at most this many projects; the rest are on the alert list it links to.
DIGEST_LINES = 20
ALERT_LIST = "/projects/alerts/"


def digest_drafts(today: dt.date) -> list[Draft]:
    """One draft per person concerned with a project in alert today: a fixed number of queries."""
    index = RuleIndex("tracking", Rulebook.objects.filter(kind="tracking").select_related("unit"))
    in_alert = Project.objects.filter(alerting_for(index, today))
    lines: dict[int, tuple[int, dict[str, str]]] = {}
    for project in in_alert.select_related("town", "park").order_by("pk"):
        found = alerts(project, today, rules=index.alert_rules(project))
        if found:
            note = "；".join(a.message for a in found)
            line = {"title": project.name, "link": f"/projects/{project.pk}/", "note": note}
            lines[project.pk] = (max(a.days for a in found), line)
    people: dict[int, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for project_id, who in notices.concerned(in_alert).items():
        if project_id in lines:
            for user_id in who:
                people[user_id].append(lines[project_id])
    drafts = []
    for user_id in sorted(people):
        mine = sorted(people[user_id], key=lambda dl: (-dl[0], dl[1]["title"]))
        more = len(mine) - DIGEST_LINES
        drafts.append(
            Draft(
                recipient_id=user_id,
                title=f"项目预警日报（{today:%Y-%m-%d}）：{len(mine)} 个项目需要跟进",
                body=f"另有 {more} 个项目，见预警列表。" if more > 0 else "",
                link=ALERT_LIST,
                items=[line for _days, line in mine[:DIGEST_LINES]],
            )
        )
    return drafts


def send_digest(today: dt.date) -> dict[str, Any]:
    drafts = digest_drafts(today)
    sent = notify_many(drafts, kind=notices.DIGEST, dedupe_key=f"alert_digest:{today:%Y-%m-%d}", day=today)
    return {"people": len(drafts), "sent": sent}


@job("projects.alert_digest", label="每日项目预警日报", daily=True)
def alert_digest(run: JobRun) -> dict[str, Any]:
    raw = run.params.get("today")
    today = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    return send_digest(today)
