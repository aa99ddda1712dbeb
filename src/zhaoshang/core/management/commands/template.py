"""`zhaoshang template KIND OUT.xlsx`: the import template with header notes and drop-down lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core import imports
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.sheets import FileProblem


class Command(BaseCommand):
    help = "Write the import template of a kind."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind")
        parser.add_argument("out")

    def handle(self, *args: Any, kind: str, out: str, **options: Any) -> None:
        try:
            Path(out).write_bytes(imports.template(kind, SYSTEM))
        except FileProblem as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已写出模板 {out}")
