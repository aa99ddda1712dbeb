"""`zhaoshang restore FILE`: replace the database and the uploaded files with a backup's, once its checksums match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core import backup


class Command(BaseCommand):
    help = "从备份恢复数据库与上传的文件（会替换现有数据）；校验值不符的备份一律拒绝。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="zhaoshang backup 生成的 .tar.gz 文件")
        parser.add_argument("--check", action="store_true", help="只校验备份，不恢复")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接替换现有数据")

    def handle(
        self, *args: Any, archive: str, check: bool = False, yes: bool = False, **options: Any
    ) -> None:
        path = Path(archive)
        try:
            if check:
                manifest = backup.verify(path)
                self.stdout.write(f"备份完好：{len(manifest['files'])} 个文件的校验值与清单一致。")
                return
            if not yes:
                answer = input("恢复会替换现有的数据库和上传文件，确定吗？输入“是”继续：")
                if answer.strip() not in ("是", "yes"):
                    raise CommandError("已取消，未做任何改动。")
            manifest = backup.restore(path)
        except backup.BackupProblem as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"已从 {path} 恢复：{len(manifest['tables'])} 张表、{rows} 行。")
