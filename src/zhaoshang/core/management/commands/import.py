"""`zhaoshang import KIND FILE [--commit]`: the dry-run report (exit 1 on any bad row), then the commit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from zhaoshang.core import context, imports
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.sheets import FileProblem


class Command(BaseCommand):
    help = "Check a spreadsheet against the database and, with --commit, import it all or nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "kind",
            help="the kind of rows: enterprises, enterprise-years, projects, chains … (see `zhaoshang template --help`)",
        )
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="import when no row is bad")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, kind: str, file: str, commit: bool, quiet: bool, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file}")
        data = path.read_bytes()
        bar = tqdm(total=0, desc="导入" if commit else "检查", disable=quiet, file=sys.stderr)

        def progress(done: int, total: int, message: str) -> None:
            bar.total, bar.n = total, done
            bar.set_description(message)
            bar.refresh()

        with context.acting(context.ActorContext(user_repr="命令行导入", channel="cli")):
            try:
                run = imports.commit if commit else imports.check
                plan = run(kind, data, path.name, SYSTEM, progress)
            except FileProblem as exc:
                bar.close()
                raise CommandError(str(exc)) from exc
        bar.close()
        report = plan.report()
        for error in report["errors"]:
            self.stdout.write(f"第 {error['row']} 行 [{error['column']}] {error['message']}")
        for warning in report["warnings"]:
            self.stdout.write(f"提示：{warning}")
        self.stdout.write(
            f"{report['rows']} 行：新增 {report['new']}，修改 {report['changed']}，不变 {report['unchanged']}，"
            f"有错误 {report['bad_rows']}"
        )
        if report["error_count"]:
            raise CommandError(f"{report['bad_rows']} 行有错误，没有导入任何数据")
        self.stdout.write("已导入。" if commit else "检查通过；加 --commit 导入。")
