"""`zhaoshang backup [FILE]`: the database and the uploaded files in one .tar.gz with a checksum manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhaoshang.core import backup


class Command(BaseCommand):
    help = "备份数据库与上传的文件（.tar.gz，内含 SHA-256 校验清单）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--portable", action="store_true", help="以 dumpdata（JSON）导出数据库，可恢复到另一种数据库"
        )
        parser.add_argument(
            "archive", nargs="?", help="备份文件路径（默认 var/backups/zhaoshang-日期时间.tar.gz）"
        )

    def handle(self, *args: Any, archive: str | None = None, portable: bool = False, **options: Any) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = (
            Path(archive) if archive else Path(settings.VAR_DIR) / "backups" / f"zhaoshang-{stamp}.tar.gz"
        )
        try:
            manifest = backup.create(target, portable=portable)
        except backup.BackupProblem as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            f"已备份到 {target}：{len(manifest['tables'])} 张表、{rows} 行，{media} 个上传文件"
            f"（数据库方式：{manifest['database']['method']}）。"
        )
