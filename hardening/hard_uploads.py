"""Uploads: thousands of truncated and mutated workbooks, and the hostile files at full size.

Every case goes through `read_rows` (the pre-flight check, then the limited child process) and must
end in a parsed table or a Chinese refusal: anything else is a crash. The hostile files are also
read with the pre-flight limits opened wide, so the child's own limits are what holds. Figures:
cases, refused, read, crashes (must be 0), the slowest case, the parent's peak Python memory
(tracemalloc), the largest child's peak RSS, and the 5,000-row parse time.
"""

from __future__ import annotations

import random
import resource
import time
import tracemalloc
from typing import Any

from django.test.utils import override_settings

from zhaoshang.core.sheets import Column, FileProblem, Sheet, read_rows
from zhaoshang.core.tests import crafted

NAME = "uploads"
CASES = 3000
SHEET = Sheet(kind="t", title="Sheet1", columns=(Column("a", "甲"), Column("b", "乙")), key=("a",))
WIDE_OPEN = {
    "ZHAOSHANG_UPLOAD_MAX_ROWS": 2_000_000,
    "ZHAOSHANG_UPLOAD_MAX_COLUMNS": 20_000,
    "ZHAOSHANG_UPLOAD_MAX_CELLS": 10**12,
    "ZHAOSHANG_UPLOAD_MEMBER_MAX_MB": 4096,
    "ZHAOSHANG_UPLOAD_SHARED_STRINGS_MAX_MB": 4096,
    "ZHAOSHANG_UPLOAD_UNPACKED_MAX_MB": 4096,
    "ZHAOSHANG_UPLOAD_MAX_RATIO": 10_000,
}


def _case(rng: random.Random) -> bytes:
    flips = [(rng.randrange(10**6), rng.randrange(256)) for _ in range(rng.randrange(7))]
    if rng.random() < 0.5:
        cut = rng.randrange(len(crafted.HONEST)) if rng.random() < 0.5 else None
        return crafted.mutated_zip(crafted.HONEST, cut, flips)
    cut = rng.randrange(len(crafted.HONEST_SHEET)) if rng.random() < 0.3 else None
    return crafted.mutated_sheet(flips, cut)


def _try(data: bytes, outcome: dict[str, Any]) -> None:
    start = time.perf_counter()
    try:
        read_rows(SHEET, data, "a.xlsx")
        outcome["read"] += 1
    except FileProblem as exc:
        outcome["refused"] += 1
        if not str(exc) or str(exc).isascii():
            outcome["refusals_not_in_chinese"] += 1
    except BaseException as exc:  # noqa: BLE001 - any other outcome is what this run counts
        outcome["crashes"] += 1
        outcome.setdefault("first_crash", f"{type(exc).__name__}: {exc}"[:200])
    outcome["slowest_case_seconds"] = max(outcome["slowest_case_seconds"], time.perf_counter() - start)
    outcome["cases"] += 1


def _five_thousand_rows() -> tuple[float, float]:
    """The best of five reads of a 5,000-row workbook: as uploads are read now, and with calamine in
    this process as before the pre-flight check and the child (what the safety costs)."""
    from zhaoshang.core.sheets import reading, sandbox

    rows = [["甲", "乙"], *[[f"某某制造有限公司{i}", str(i * 3.5)] for i in range(5000)]]
    data = crafted.plain(rows)
    safe = reading.read_table
    best = []
    for read_table in (safe, lambda data, _name, wanted: sandbox.table_from_workbook(data, wanted)):
        reading.read_table = read_table  # type: ignore[assignment]
        times = []
        try:
            for _ in range(5):
                start = time.perf_counter()
                assert len(read_rows(SHEET, data, "a.xlsx").rows) == 5000
                times.append(time.perf_counter() - start)
        finally:
            reading.read_table = safe
        best.append(min(times))
    return best[0], best[1]


def run() -> dict[str, Any]:
    rng = random.Random(20261202)
    outcome: dict[str, Any] = dict.fromkeys(
        ("cases", "read", "refused", "crashes", "refusals_not_in_chinese"), 0
    )
    outcome["slowest_case_seconds"] = 0.0
    started = time.perf_counter()
    tracemalloc.start()
    for _ in range(CASES):
        _try(_case(rng), outcome)
    hostile = [crafted.far_cell(), crafted.far_cell_no_dimension(), crafted.huge_shared_string(),
               crafted.huge_shared_string(lie=True), crafted.zip_bomb()]  # fmt: skip
    for data in hostile:
        _try(data, outcome)
    with override_settings(**WIDE_OPEN):  # only the child's limits stand between these and the server
        for data in hostile:
            _try(data, outcome)
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    now, before = _five_thousand_rows()
    child_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        **outcome,
        "slowest_case_seconds": round(outcome["slowest_case_seconds"], 2),
        "hostile_files": len(hostile) * 2,
        "seconds": round(time.perf_counter() - started, 1),
        "max_parent_python_mb": round(peak / 1024 / 1024, 1),
        "max_child_rss_mb": round(child_rss_mb, 1),
        "parent_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "parse_5000_rows_seconds": round(now, 3),
        "parse_5000_rows_in_process_seconds": round(before, 3),
        "failures": outcome["crashes"] + outcome["refusals_not_in_chinese"],
    }
