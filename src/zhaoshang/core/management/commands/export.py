"""`zhaoshang export KIND OUT.xlsx`: everything of a kind, under the template's headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core import imports
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.sheets import FileProblem


class Command(BaseCommand):
    help = "Export all records of a kind to .xlsx (it imports again unchanged)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind")
        parser.add_argument("out")

    def handle(self, *args: Any, kind: str, out: str, **options: Any) -> None:
        try:
            Path(out).write_bytes(imports.export(kind, SYSTEM))
        except FileProblem as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已导出 {out}")
