"""The seal on the audit chain: recomputing the plain hashes after an edit no longer passes, the
daily anchors catch a cut-off end, and a failed check tells the auditors."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from zhaoshang.core import audit, audit_seal
from zhaoshang.core.models import AuditChainHead, AuditEvent, Notification

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[AuditEvent]:
    return [
        audit.record("update", target_type="org.unit", target_id=i, after={"phone": f"x{i}"})
        for i in range(1, n + 1)
    ]


def _raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _recompute_plain_chain(edit_seq: int, reason: str) -> None:
    """What someone with database access does: edit a row, then rebuild every hash after it and the head."""
    _raw("UPDATE core_auditevent SET reason = %s WHERE seq = %s", [reason, edit_seq])
    prev = AuditEvent.objects.get(seq=edit_seq - 1).hash if edit_seq > 1 else audit.GENESIS
    for row in (
        AuditEvent.objects.filter(seq__gte=edit_seq).order_by("seq").values("id", *audit.HASHED_FIELDS)
    ):
        row["prev_hash"] = prev
        prev = audit.event_hash(row)
        _raw(
            "UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
            [row["prev_hash"], prev, row["id"]],
        )
    _raw("UPDATE core_auditchainhead SET hash = %s", [prev])


def test_every_event_carries_a_seal_made_with_the_key_outside_the_database(settings: object) -> None:
    events = _events(2)
    assert all(e.hmac == audit_seal.seal(e.hash) and len(e.hmac) == 64 for e in events)
    assert AuditChainHead.objects.get(pk=1).hmac_from == 1
    settings.ZHAOSHANG_AUDIT_KEY = "another-key"  # type: ignore[attr-defined]
    assert not audit.verify().ok  # a different key does not vouch for these events


def test_a_tampered_row_with_its_chain_recomputed_fails_and_the_auditors_are_told(county: object) -> None:
    _events(5)
    _recompute_plain_chain(3, "改过了")
    report = audit_seal.verify_with_anchors()
    assert not report.ok and report.broken_seq == 3 and "HMAC" in report.problem
    told = Notification.objects.filter(kind="audit_chain")
    assert set(told.values_list("recipient__username", flat=True)) == {"auditor"}
    assert "审计链校验失败" in told.get().title
    with pytest.raises(CommandError, match="#3"):
        call_command("audit", "verify", "--quiet")


def test_blanking_the_seals_after_an_edit_is_caught() -> None:
    _events(4)
    _recompute_plain_chain(3, "改过了")
    _raw("UPDATE core_auditevent SET hmac = '' WHERE seq >= %s", [3])
    report = audit.verify()
    assert not report.ok and report.broken_seq == 3


def test_events_from_before_the_seal_still_verify_and_the_era_is_marked() -> None:
    _events(3)
    # As the database stood before the seal: no HMACs, then the migration marks where sealing starts.
    _raw("UPDATE core_auditevent SET hmac = ''", [])
    _raw("UPDATE core_auditchainhead SET hmac_from = 4", [])
    assert audit.verify().ok
    _events(2)
    assert AuditChainHead.objects.get(pk=1).hmac_from == 4
    assert list(AuditEvent.objects.order_by("seq").values_list("hmac", flat=True))[:3] == ["", "", ""]
    assert audit.verify().ok and audit.verify().checked == 5
    _raw("UPDATE core_auditevent SET hmac = '' WHERE seq = 5", [])
    assert not audit.verify().ok  # inside the era a missing seal is a failure


def test_the_anchor_command_appends_the_days_anchor(settings: object) -> None:
    events = _events(3)
    call_command("audit_anchor")
    _events(1)
    call_command("audit_anchor")
    lines = audit_seal.anchor_path().read_text(encoding="utf-8").splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["seq"] == 3 and first["hmac"] == events[-1].hmac and first["hash"] == events[-1].hash
    assert second["seq"] == 4 and first["date"] == second["date"]
    assert audit_seal.anchor_path().parent == settings.ZHAOSHANG_AUDIT_ANCHOR_DIR  # type: ignore[attr-defined]
    call_command("audit", "verify", "--quiet")


def test_anchors_catch_a_truncation_that_the_chain_itself_cannot(county: object) -> None:
    events = _events(5)
    call_command("audit_anchor")
    # Cut off the newest two events and rebuild the head to match: the chain alone looks whole.
    _raw("DELETE FROM core_auditevent WHERE seq >= %s", [events[3].seq])
    _raw("UPDATE core_auditchainhead SET seq = %s, hash = %s", [events[2].seq, events[2].hash])
    assert audit.verify().ok
    report = audit_seal.verify_with_anchors()
    assert not report.ok and "截断" in report.problem
    assert Notification.objects.filter(kind="audit_chain", recipient__username="auditor").exists()
    with pytest.raises(CommandError, match="截断"):
        call_command("audit", "verify", "--quiet")


def test_no_anchor_is_written_for_a_broken_chain() -> None:
    _events(3)
    _raw("UPDATE core_auditevent SET reason = 'x' WHERE seq = 2", [])
    with pytest.raises(CommandError, match="未写入锚点"):
        call_command("audit_anchor")
    assert not audit_seal.anchor_path().exists()


def test_anchors_catch_the_seals_wiped_and_the_era_marker_moved() -> None:
    _events(4)
    call_command("audit_anchor")
    _recompute_plain_chain(2, "改过了")
    # Pretend every event is from before the seal: wipe the seals and move the marker past the head.
    _raw("UPDATE core_auditevent SET hmac = ''", [])
    _raw("UPDATE core_auditchainhead SET hmac_from = 99", [])
    assert audit.verify().ok  # the chain alone cannot tell
    report = audit_seal.verify_with_anchors()
    assert not report.ok and "校验码已变" in report.problem
