"""`zhaoshang audit_anchor`: write the day's anchor of the audit chain to a second place.

Run it daily (cron or a systemd timer). It first verifies the chain, so a tampered chain is never
anchored; then appends the newest event's number, hash and HMAC to `ZHAOSHANG_AUDIT_ANCHOR_DIR`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core import audit_seal
from zhaoshang.core.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit chain, then append today's anchor (last event, its hash and HMAC)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_seal.verify_with_anchors()
        if not report.ok:
            raise CommandError(f"审计链在事件 #{report.broken_seq} 处断开：{report.problem}；未写入锚点")
        last = AuditEvent.objects.filter(seq=report.head_seq).values("seq", "hash", "hmac").first()
        if last is None:
            self.stdout.write("审计日志尚无事件：无需写入锚点。")
            return
        line = audit_seal.write_anchor(last["seq"], last["hmac"], last["hash"])
        self.stdout.write(f"已写入 {line['date']} 的锚点：事件 #{line['seq']}（{audit_seal.anchor_path()}）")
