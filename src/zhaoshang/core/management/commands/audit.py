"""`zhaoshang audit verify`: proves the audit log was neither edited nor cut (exit 1 naming the first bad event)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from zhaoshang.core import audit


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        verify = sub.add_parser("verify", help="check every event against its hash and its predecessor")
        verify.add_argument(
            "--expect-head", default="", help="a head hash recorded earlier elsewhere (anchor)"
        )
        verify.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(
        self, *args: Any, verb: str, expect_head: str = "", quiet: bool = False, **options: Any
    ) -> None:
        bar = tqdm(total=0, unit=" 事件", desc="校验审计链", disable=quiet, file=sys.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        report = audit.verify(progress=progress)
        bar.close()
        if not report.ok:
            raise CommandError(
                f"审计链在事件 #{report.broken_seq} 处断开：{report.problem}（已校验 {report.checked} 个事件）"
            )
        if expect_head and not report.head_hash.startswith(expect_head):
            raise CommandError(f"链头 {report.head_hash} 与记录的 {expect_head} 不符：最新的事件可能已被删除")
        self.stdout.write(f"审计链完好：{report.checked} 个事件，链头 #{report.head_seq} {report.head_hash}")
