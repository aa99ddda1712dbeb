"""Audit chain: how fast services can append events, and how fast `audit verify` walks the chain.

Baseline: a verifier that loads each event as an ORM object one query at a time (what a naive
per-record check would do); `ratio_vs_per_row_orm` is how many times faster the streaming one is.
"""

from __future__ import annotations

import time

from django.db import transaction

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent

NAME = "audit_chain"
EVENTS = 20_000
BASELINE_SAMPLE = 2_000


def _per_row_verify(limit: int) -> float:
    start = time.perf_counter()
    prev = audit.GENESIS
    for seq in range(1, limit + 1):
        event = AuditEvent.objects.get(seq=seq)
        fields = {name: getattr(event, name) for name in audit.HASHED_FIELDS}
        assert event.prev_hash == prev and audit.event_hash(fields) == event.hash
        prev = event.hash
    return time.perf_counter() - start


def run() -> dict[str, float | int]:
    start = time.perf_counter()
    with transaction.atomic():
        for i in range(EVENTS):
            audit.record(
                "update",
                target_type="org.unit",
                target_id=i % 500,
                before={"phone": str(i)},
                after={"phone": str(i + 1)},
                reason="基准测试",
            )
    record_seconds = time.perf_counter() - start

    start = time.perf_counter()
    report = audit.verify()
    verify_seconds = time.perf_counter() - start
    assert report.ok and report.checked >= EVENTS

    baseline_seconds = _per_row_verify(BASELINE_SAMPLE) * (report.checked / BASELINE_SAMPLE)
    return {
        "events": report.checked,
        "record_seconds": round(record_seconds, 3),
        "records_per_second": round(EVENTS / record_seconds),
        "verify_seconds": round(verify_seconds, 3),
        "verify_events_per_second": round(report.checked / verify_seconds),
        "baseline_per_row_orm_seconds": round(baseline_seconds, 3),
        "ratio_vs_per_row_orm": round(baseline_seconds / verify_seconds, 1),
    }
