"""The notices the chains app sends: a target company handed to a leader, a problem to its unit."""

from __future__ import annotations

from zhaoshang.core.notice_kinds import register_kind

TARGET_ASSIGNED = register_kind(
    "chain_target_assigned", "产业链目标企业交办", why="有目标企业交由您联系时告知。"
).code
PROBLEM_ASSIGNED = register_kind(
    "chain_problem_assigned", "产业链问题交办", why="产业链问题清单中有问题交由您单位办理时告知。"
).code
DIGEST = register_kind(
    "chain_digest",
    "产业链待办日报",
    why="每天至多一条：您所在产业链的月报临近截止未填报、目标企业停滞、交办本单位的问题逾期。",
).code
