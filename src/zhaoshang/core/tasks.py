"""Background jobs of the core app."""

from __future__ import annotations

from typing import Any

from zhaoshang.core import audit_seal
from zhaoshang.core.jobs import JobRun, job


@job("audit.verify", label="校验审计链")
def verify_audit_chain(run: JobRun) -> dict[str, Any]:
    report = audit_seal.verify_with_anchors(
        progress=lambda done, total: run.progress(done, total, "正在校验审计链")
    )
    if report.ok:
        title = f"审计链完好：已校验 {report.checked} 个事件"
    else:
        title = f"审计链在事件 #{report.broken_seq} 处断开"
    return {
        "ok": report.ok,
        "checked": report.checked,
        "head_seq": report.head_seq,
        "head_hash": report.head_hash,
        "broken_seq": report.broken_seq,
        "problem": report.problem,
        "notify_title": title,
        "notify_body": report.problem,
    }
