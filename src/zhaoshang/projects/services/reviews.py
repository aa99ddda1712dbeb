"""项目预审: a submission runs the rules at once; the committee then records its decision and votes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core.permissions import require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.evaluation import selectors as evaluation_selectors
from zhaoshang.projects import extensions, notices, rulebooks
from zhaoshang.projects.engines import prereview
from zhaoshang.projects.engines.lifecycle import Stage
from zhaoshang.projects.models import Project, Review


def review_rules_for(project: Project) -> dict[str, Any]:
    """The park's own review rules, else the county's, else the shipped defaults."""
    return rulebooks.resolve(rulebooks.project_unit(project), "review").content


def review_facts(projects: list[Project]) -> dict[int, prereview.Project]:
    """What the rules read of each project; an existing enterprise's expansion brings its latest
    published 亩均 grade (one query for all of them)."""
    graded = evaluation_selectors.latest_published_grades(
        p.enterprise_id for p in projects if p.enterprise_id
    )
    facts = {}
    for project in projects:
        grade = graded.get(project.enterprise_id) if project.enterprise_id else None
        facts[project.pk] = prereview.Project(
            name=project.name,
            description=project.description,
            industry_code=project.industry_code,
            land_mu=project.land_needed_mu,
            investment=project.planned_investment,
            promised_tax=project.promised_tax,
            promised_output=project.promised_output,
            floor_area_ratio=project.floor_area_ratio,
            energy_tce=project.energy_tce,
            investor_rank=project.investor_rank,
            untrustworthy_investor=project.investor_untrustworthy,
            in_standard_building=project.in_standard_building,
            enterprise_grade=grade[1] if grade else "",
            grade_year=grade[0] if grade else None,
        )
    return facts


def review_submit(by: Principal, project: Project, on: dt.date) -> Review:
    """Submitting for review runs the rules at once, so the committee meets with the verdicts in hand."""
    content = review_rules_for(project)
    extra = extensions.extra_review_rules(project)
    outcome = prereview.run(prereview.parse(content), review_facts([project])[project.pk], extra)
    return audited_create(
        Review(
            project=project,
            submitted_on=on,
            submitted_by_id=by.user_id,
            rules=content,
            verdicts=[v.as_json() for v in outcome.verdicts],
            score_lines=[line.as_json() for line in outcome.score_lines],
            score=outcome.score,
            rules_passed=outcome.rules_passed,
            vetoed=outcome.vetoed,
            suggestion=outcome.suggestion,
        ),
        reason="提交预审",
    )


VOTES = {"pass": "同意", "conditional": "有条件同意", "reject": "不同意"}
MIN_VOTES = 3


def review_record(
    by: Principal,
    project: Project,
    *,
    decision: str,
    notes: str,
    conditions: str = "",
    votes: list[dict[str, str]] | None = None,
    on: dt.date | None = None,
) -> Review:
    """The review committee's decision (pass, pass with conditions, reject) with its members' votes."""
    require_in_scope(by, project, Action.CONFIGURE_RULES)
    if project.stage != Stage.REVIEW.value:
        raise ValidationError({"decision": "只有处于“预审”阶段的项目可以记录预审结论。"})
    review = project.reviews.order_by("-pk").first()
    if review is None or review.decision:
        raise ValidationError({"decision": "本次预审已有结论：重新预审须退回洽谈后再次提交。"})
    votes = [v for v in votes or [] if (v.get("member") or "").strip()]
    found: dict[str, str] = {}
    if decision not in ("pass", "conditional", "reject"):
        found["decision"] = "预审结论：只能是通过、有条件通过或不通过。"
    elif review.vetoed and decision != "reject":
        vetoes = "；".join(v["reason"] for v in review.verdicts if v.get("veto"))
        found["decision"] = f"预审结论：触发一票否决（{vetoes}），只能是不通过。"
    if not notes.strip():
        found["notes"] = "预审意见：必须填写。"
    if decision == "conditional" and not conditions.strip():
        found["conditions"] = "通过条件：有条件通过须写明条件。"
    if len(votes) < MIN_VOTES:
        found["votes"] = f"委员表决：至少 {MIN_VOTES} 名预审小组成员表决，现为 {len(votes)} 名。"
    elif bad := [v["member"] for v in votes if v.get("vote") not in VOTES]:
        found["votes"] = f"委员表决：{'、'.join(bad)} 的表决须为同意、有条件同意或不同意。"
    elif decision in ("pass", "conditional") and 2 * sum(v["vote"] != "reject" for v in votes) <= len(votes):
        found["votes"] = "委员表决：同意（含有条件同意）未过半数，不能作出通过的结论。"
    if found:
        raise ValidationError(found)
    with transaction.atomic():
        audited_update(
            review,
            {
                "decision": decision,
                "conditions": conditions.strip(),
                "notes": notes.strip(),
                "votes": [
                    {"member": v["member"].strip(), "vote": v["vote"], "note": (v.get("note") or "").strip()}
                    for v in votes
                ],
                "decided_on": on or timezone.localdate(),
                "decided_by_id": by.user_id,
            },
            reason=notes.strip(),
        )
        audited_update(project, {"review_decision": decision}, reason=notes.strip())
        notices.review_decided(by, project, review)  # the lead unit's staff hear of it
    return review
