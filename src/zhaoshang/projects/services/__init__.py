"""Audited writes of projects, by sub-domain: the project itself, its moves, reviews, funds and follow-ups.

Callers import from here (`from zhaoshang.projects import services`; `services.project_move(...)`).
"""

from zhaoshang.projects.services.evidence import MAX_EVIDENCE_BYTES
from zhaoshang.projects.services.funds import fund_arrival_add, fund_arrival_correct, fund_arrival_withdraw
from zhaoshang.projects.services.major import major_tier_save, pre_work_save
from zhaoshang.projects.services.moves import SUPPLIED, project_move
from zhaoshang.projects.services.projects import EDITABLE, RELATIONS, project_create, project_update
from zhaoshang.projects.services.reviews import MIN_VOTES, VOTES, review_record, review_rules_for
from zhaoshang.projects.services.tracking import (
    follow_up_add,
    follow_up_correct,
    follow_up_withdraw,
    milestone_add,
    milestone_done,
)

__all__ = [
    "EDITABLE",
    "MAX_EVIDENCE_BYTES",
    "MIN_VOTES",
    "RELATIONS",
    "SUPPLIED",
    "VOTES",
    "follow_up_add",
    "follow_up_correct",
    "follow_up_withdraw",
    "fund_arrival_add",
    "major_tier_save",
    "fund_arrival_correct",
    "fund_arrival_withdraw",
    "milestone_add",
    "milestone_done",
    "pre_work_save",
    "project_create",
    "project_move",
    "project_update",
    "review_record",
    "review_rules_for",
]
