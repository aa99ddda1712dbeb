"""Figures counted over a principal's whole scope, kept for a few minutes per scope.

A list page stays flat as data grows when it counts nothing over the whole scope on every request:
a summary line (规上企业 户数) or a home-page tile is counted once and kept under the scope that
decides it (the same grants and enterprises, not the same person). What is kept is plain data
(numbers, labels, links), never model instances.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from zhaoshang.core.scoping import Principal

TIMEOUT = 300  # seconds: such figures move slowly; a write shows within five minutes

T = TypeVar("T")


def scope_key(principal: Principal) -> str:
    """Who sees the same figures: the same grants, the same enterprises (not the same person)."""
    grants = sorted(f"{role}:{path}" for role, path in principal.grants)
    text = f"{principal.sees_everything}|{','.join(grants)}|{sorted(principal.enterprise_ids)}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def for_scope(name: str, principal: Principal, build: Callable[[], T], *parts: object) -> T:
    """`build()`'s answer for this scope (and `parts`, e.g. the day), counted at most every TIMEOUT."""
    key = ":".join([name, scope_key(principal), *(str(p) for p in parts)])
    return cache.get_or_set(key, build, TIMEOUT)  # type: ignore[return-value]
