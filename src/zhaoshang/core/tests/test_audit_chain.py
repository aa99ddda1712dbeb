"""The audit chain: every write leaves an event, and editing or removing any stored event is caught."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from zhaoshang.core import audit
from zhaoshang.core.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[AuditEvent]:
    return [
        audit.record(
            "update", target_type="org.unit", target_id=i, before={"phone": str(i)}, after={"phone": f"x{i}"}
        )
        for i in range(1, n + 1)
    ]


def _raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_events_form_a_chain() -> None:
    events = _events(3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == audit.GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    report = audit.verify()
    assert report.ok and report.checked == 3 and report.head_hash == events[2].hash


def test_editing_a_stored_event_is_caught_and_named() -> None:
    _events(5)
    _raw("UPDATE core_auditevent SET reason = %s WHERE seq = %s", ["改过了", 3])
    report = audit.verify()
    assert not report.ok
    assert report.broken_seq == 3
    with pytest.raises(CommandError, match="#3"):
        call_command("audit", "verify", "--quiet")


def test_rewriting_an_event_with_a_fresh_hash_is_caught_by_its_seal() -> None:
    _events(4)
    row = AuditEvent.objects.values(*audit.HASHED_FIELDS).get(seq=2)
    row["after"] = {"phone": "forged"}
    _raw(
        "UPDATE core_auditevent SET after = %s, hash = %s WHERE seq = 2",
        ['{"phone": "forged"}', audit.event_hash(row)],
    )
    report = audit.verify()
    # Its hash is right now, but the HMAC (keyed outside the database) no longer matches it.
    assert not report.ok and report.broken_seq == 2 and "HMAC" in report.problem


def test_removing_an_event_is_caught() -> None:
    _events(4)
    _raw("DELETE FROM core_auditevent WHERE seq = %s", [2])
    report = audit.verify()
    assert not report.ok and report.broken_seq == 2


def test_removing_the_newest_event_is_caught_by_the_head() -> None:
    _events(4)
    _raw("DELETE FROM core_auditevent WHERE seq = %s", [4])
    report = audit.verify()
    assert not report.ok and report.broken_seq == 4


def test_verify_command_reports_an_intact_chain_and_an_anchor(capsys: pytest.CaptureFixture[str]) -> None:
    events = _events(2)
    call_command("audit", "verify", "--quiet")
    out = capsys.readouterr().out
    assert "审计链完好" in out and f"2:{events[-1].hash}" in out


def test_an_anchor_survives_later_events_but_not_a_rewrite() -> None:
    events = _events(3)
    anchor = f"2:{events[1].hash[:16]}"
    _events(2)  # the chain goes on after the anchor was taken
    call_command("audit", "verify", "--quiet", "--anchor", anchor)
    # Someone cuts the chain back to #1 and rebuilds the head to match: only the anchor notices.
    _raw("DELETE FROM core_auditevent WHERE seq >= %s", [2])
    _raw("UPDATE core_auditchainhead SET seq = 1, hash = %s", [events[0].hash])
    with pytest.raises(CommandError, match="锚点"):
        call_command("audit", "verify", "--quiet", "--anchor", anchor)


def test_losing_the_head_row_is_caught_and_stops_further_writes() -> None:
    _events(3)
    _raw("DELETE FROM core_auditchainhead", [])
    report = audit.verify()
    assert not report.ok and "链头" in report.problem
    with pytest.raises(audit.AuditChainBroken):
        audit.record("update", target_type="t", target_id=1)


def test_events_written_during_a_check_are_left_for_the_next_one() -> None:
    _events(3)

    def write_meanwhile(done: int, total: int) -> None:
        audit.record("login", target_type="org.user", target_id=99)

    assert audit.verify(progress=write_meanwhile, chunk=1).ok
    assert audit.verify().checked == 6


def test_floats_hash_the_same_after_the_database_round_trip() -> None:
    audit.record("update", target_type="t", target_id=1, after={"ratio": 1e20, "share": 0.1})
    assert audit.verify().ok


def test_an_event_rolls_back_with_the_change_it_records() -> None:
    _events(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("create", target_type="org.unit", target_id=9)
        raise RuntimeError("the business write failed")
    assert AuditEvent.objects.count() == 1
    assert AuditChainHead.objects.get(pk=1).seq == 1
    assert audit.verify().ok


def test_secrets_are_never_copied_into_events(county: object) -> None:
    user = county.staff_a  # type: ignore[attr-defined]
    assert "password" not in audit.snapshot(user)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


class ChainProperties(HypothesisTestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        payloads=st.lists(
            st.dictionaries(st.text(min_size=1, max_size=8), json_values, max_size=4), min_size=1, max_size=6
        ),
        data=st.data(),
    )
    def test_any_single_edit_is_caught_at_its_event(
        self, payloads: list[dict[str, object]], data: st.DataObject
    ) -> None:
        for i, payload in enumerate(payloads):
            audit.record("update", target_type="t", target_id=i, after=payload, reason=f"r{i}")
        assert audit.verify().ok
        seq = data.draw(st.integers(1, len(payloads)))
        column = data.draw(st.sampled_from(["reason", "target_id", "actor_repr", "action"]))
        _raw(f"UPDATE core_auditevent SET {column} = {column} || 'x' WHERE seq = %s", [seq])
        report = audit.verify()
        assert not report.ok and report.broken_seq == seq
