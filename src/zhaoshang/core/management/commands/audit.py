"""`zhaoshang audit verify`: proves the audit log was neither edited nor cut (exit 1 naming the first bad event)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from zhaoshang.core import audit, audit_seal


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        verify = sub.add_parser("verify", help="check every event against its hash and its predecessor")
        verify.add_argument(
            "--anchor", default="", help="SEQ:HASH printed by an earlier run and kept on another machine"
        )
        verify.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, verb: str, anchor: str = "", quiet: bool = False, **options: Any) -> None:
        bar = tqdm(total=0, unit=" 事件", desc="校验审计链", disable=quiet, file=sys.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        # The chain, its HMAC seals and the anchors of `zhaoshang audit_anchor`; a failure tells the auditors.
        report = audit_seal.verify_with_anchors(progress=progress)
        bar.close()
        if not report.ok:
            raise CommandError(
                f"审计链在事件 #{report.broken_seq} 处断开：{report.problem}（已校验 {report.checked} 个事件）"
            )
        if anchor:
            try:
                kept = audit.anchor_matches(anchor)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            if not kept:
                raise CommandError(f"锚点 {anchor} 对应的事件已不存在或已被改写：审计链被截断或重写")
        self.stdout.write(
            f"审计链完好：{report.checked} 个事件。锚点（请另行保存）：{report.head_seq}:{report.head_hash}"
        )
