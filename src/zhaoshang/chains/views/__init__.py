"""Pages of the chains app: the chains and a chain's map and gaps, a node, a target company
(`pages`); the five lists with their exports and their entries (`lists`); the chief's monthly
report, the 推进会 and the work plans (`reports`); setting up a chain and its nodes (`setup`)."""

from zhaoshang.chains.views.lists import five_add, five_list, policy_withdraw, problem_detail
from zhaoshang.chains.views.pages import (
    chain_detail,
    chain_list,
    node_detail,
    node_place,
    node_place_projects,
    node_status,
    target_convert,
    target_detail,
    target_move,
)
from zhaoshang.chains.views.reports import inspection, meeting_held, meetings, plan, report
from zhaoshang.chains.views.setup import chain_edit, chain_new, node_add

__all__ = [
    "chain_detail",
    "chain_edit",
    "chain_list",
    "chain_new",
    "five_add",
    "five_list",
    "inspection",
    "meeting_held",
    "meetings",
    "node_add",
    "node_detail",
    "node_place",
    "node_place_projects",
    "node_status",
    "plan",
    "policy_withdraw",
    "problem_detail",
    "report",
    "target_convert",
    "target_detail",
    "target_move",
]
