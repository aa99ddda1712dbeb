"""Audit chain: how fast services can append events, and how fast `audit verify` walks the chain.

Baseline: the verifier a competent engineer would write with the ORM: stream the events as model
objects in order (`iterator(chunk_size=2000)`, one query per chunk, never one per event) and check
each one's predecessor hash, content hash and seal, the same checks `audit.verify` makes. Ours reads
plain value rows instead of model objects; the ratio is what that buys. Both: median of three runs.
"""

from __future__ import annotations

from django.db import transaction
from timing import figures as figures_of
from timing import measure

from zhaoshang.core import audit
from zhaoshang.core.audit_seal import seal_matches
from zhaoshang.core.models import AuditEvent

NAME = "audit_chain"
EVENTS = 20_000


def _streaming_orm_verify() -> int:
    prev, checked = audit.GENESIS, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        fields = {name: getattr(event, name) for name in audit.HASHED_FIELDS}
        assert event.prev_hash == prev and audit.event_hash(fields) == event.hash
        assert not event.hmac or seal_matches(event.hash, event.hmac)
        prev, checked = event.hash, checked + 1
    return checked


def _record() -> None:
    # One transaction per event, as a service call in a request makes it. (20,000 appends inside one
    # transaction would time PostgreSQL walking 20,000 versions of the chain head's row, not the
    # service: no request does that, and imports append in bulk through record_many.)
    for i in range(EVENTS):
        with transaction.atomic():
            audit.record(
                "update",
                target_type="org.unit",
                target_id=i % 500,
                before={"phone": str(i)},
                after={"phone": str(i + 1)},
                reason="基准测试",
            )


def run() -> dict[str, float | int | str]:
    recording, _ = measure(_record)  # each run appends 20,000 more events to the same chain
    verifying, report = measure(audit.verify)
    assert report.ok and report.checked >= EVENTS
    baseline, checked = measure(_streaming_orm_verify)
    assert checked == report.checked
    return {
        "events": report.checked,
        **figures_of("record_", recording),
        "records_per_second": round(EVENTS / recording["median"]),
        **figures_of("verify_", verifying),
        "verify_events_per_second": round(report.checked / verifying["median"]),
        **figures_of("baseline_streaming_orm_", baseline),
        "ratio_vs_streaming_orm": round(baseline["median"] / verifying["median"], 1),
        "baseline": "ORM objects streamed in chunks of 2,000, the same checks",
    }
