"""Audited writes of the chains app, by sub-domain: the chain with its nodes, placements and lists;
the target companies; the plans, meetings and monthly reports.

Callers import from here (`from zhaoshang.chains import services`; `services.target_move(...)`).
"""

from zhaoshang.chains.services.chains import (
    CHAIN_RELATIONS,
    chain_create,
    chain_update,
    may_write,
    node_create,
    node_set_status,
    place_enterprises,
    place_projects,
    policy_add,
    policy_withdraw,
    problem_progress,
    problem_raise,
    require_writer,
)
from zhaoshang.chains.services.reports import (
    REPORT_TEXTS,
    first_of,
    meeting_held,
    meeting_schedule,
    plan_save,
    report_file,
    review_thresholds,
)
from zhaoshang.chains.services.targets import (
    CONVERTIBLE,
    TARGET_LABELS,
    TARGET_MOVES,
    target_convert,
    target_create,
    target_move,
    target_moves,
    target_update,
    tell_leaders,
)

__all__ = [
    "CHAIN_RELATIONS",
    "CONVERTIBLE",
    "REPORT_TEXTS",
    "TARGET_LABELS",
    "TARGET_MOVES",
    "chain_create",
    "chain_update",
    "first_of",
    "may_write",
    "meeting_held",
    "meeting_schedule",
    "node_create",
    "node_set_status",
    "place_enterprises",
    "place_projects",
    "plan_save",
    "policy_add",
    "policy_withdraw",
    "problem_progress",
    "problem_raise",
    "report_file",
    "require_writer",
    "review_thresholds",
    "target_convert",
    "target_create",
    "target_move",
    "target_moves",
    "target_update",
    "tell_leaders",
]
