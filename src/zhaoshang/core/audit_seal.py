"""The seal on the audit chain: an HMAC over each event with a key kept outside the database, and
daily anchors written to a second place.

The plain hash chain proves an edit only to someone who cannot recompute it; anyone with write
access to the database can. The HMAC needs `ZHAOSHANG_AUDIT_KEY` (never stored in the database), so
an edited row whose hashes were recomputed still fails. The anchors (`zhaoshang audit_anchor`, one
line a run, appended to a file in `ZHAOSHANG_AUDIT_ANCHOR_DIR`) catch the rest: events cut off the
end together with the head, or the HMAC era marker moved to hide unsealed rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac as hmac_lib
import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from zhaoshang.core.audit import ChainReport

ANCHOR_FILE = "anchors.jsonl"


def seal(event_hash: str) -> str:
    """HMAC-SHA256 of an event's hash (which already covers its content and its predecessor)."""
    key = str(settings.ZHAOSHANG_AUDIT_KEY).encode("utf-8")
    return hmac_lib.new(key, event_hash.encode("ascii"), hashlib.sha256).hexdigest()


def seal_matches(event_hash: str, stored: str) -> bool:
    return bool(stored) and hmac_lib.compare_digest(seal(event_hash), stored)


def anchor_path() -> Path:
    return Path(settings.ZHAOSHANG_AUDIT_ANCHOR_DIR) / ANCHOR_FILE


def read_anchors() -> list[dict[str, Any]]:
    path = anchor_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_anchor(seq: int, event_hmac: str, event_hash: str) -> dict[str, Any]:
    """Append today's anchor; the file is only ever appended to (O_APPEND), one JSON line per run."""
    line = {
        "date": timezone.localdate().isoformat(),
        "written_at": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
        "seq": seq,
        "hmac": event_hmac,
        "hash": event_hash,
    }
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return line


def anchor_problem(report: ChainReport) -> str:
    """What the anchors say against the chain as verified ("" when they agree)."""
    from zhaoshang.core.models import AuditEvent

    anchors = read_anchors()
    if not anchors:
        return ""
    newest = max(int(a["seq"]) for a in anchors)
    if newest > report.head_seq:
        return f"锚点记录了事件 #{newest}，现存审计链只到 #{report.head_seq}：审计日志被截断"
    wanted = {int(a["seq"]): a for a in anchors}
    stored = dict(AuditEvent.objects.filter(seq__in=list(wanted)).values_list("seq", "hmac").order_by("seq"))
    for seq, anchor in sorted(wanted.items()):
        if seq not in stored:
            return f"锚点 {anchor['date']} 记录的事件 #{seq} 已不存在：审计日志被截断或重写"
        if not hmac_lib.compare_digest(str(stored[seq]), str(anchor["hmac"])):
            return f"锚点 {anchor['date']} 记录的事件 #{seq} 的校验码已变：审计日志被重写"
    return ""


def verify_with_anchors(
    progress: Callable[[int, int], None] | None = None, *, alert: bool = True
) -> ChainReport:
    """The whole check: the chain with its seals, then the anchors; a failure tells the auditors."""
    from zhaoshang.core import audit

    report = audit.verify(progress=progress)
    if report.ok and (problem := anchor_problem(report)):
        report = replace(report, ok=False, problem=problem, broken_seq=report.head_seq + 1)
    if not report.ok and alert:
        alert_auditors(report)
    return report


def alert_auditors(report: ChainReport) -> None:
    from zhaoshang.core import notifications
    from zhaoshang.core.roles import Role

    notifications.notify_role(
        Role.AUDITOR,
        kind="audit_chain",
        title=f"审计链校验失败：{report.problem}"[:200],
        body=f"在事件 #{report.broken_seq} 处断开，已校验 {report.checked} 个事件。请立即核查。",
        link="/audit/",
        dedupe_key=f"audit-chain-broken:{report.broken_seq}",
    )
