"""Timing shared by the benchmarks: every figure is the median of at least three runs, with min and max."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
REPEATS = 3


def measure(
    fn: Callable[[], T],
    repeats: int = REPEATS,
    before: Callable[[], Any] | None = None,
    warm_up: bool = False,
) -> tuple[dict[str, float], T]:
    """Run `fn` `repeats` times (after `before`, untimed, each time) and return its timings and last result.

    With `warm_up`, one untimed run first: for work in memory, where the first call pays for the
    allocator and the page faults of its arrays rather than for the work."""
    seconds: list[float] = []
    result: Any = None
    if warm_up:
        if before is not None:
            before()
        fn()
    for _ in range(max(repeats, REPEATS)):
        if before is not None:
            before()
        start = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - start)
    return {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds)}, result


def figures(prefix: str, timing: dict[str, float], digits: int = 3) -> dict[str, float]:
    """`prefix_seconds` (the median) with `prefix_min_seconds` and `prefix_max_seconds` beside it."""
    return {
        f"{prefix}seconds": round(timing["median"], digits),
        f"{prefix}min_seconds": round(timing["min"], digits),
        f"{prefix}max_seconds": round(timing["max"], digits),
    }
