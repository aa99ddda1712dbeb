"""`zhaoshang worker`: runs background jobs from the database queue until stopped."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from zhaoshang.core import jobs


class Command(BaseCommand):
    help = "Run background jobs from the database queue (no broker needed)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")

    def handle(self, *args: Any, once: bool = False, interval: float = 1.0, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True  # finish the current job, then leave

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        name = jobs.worker_name()
        self.stdout.write(f"worker {name} started")
        while not stopping:
            if not connection.in_atomic_block:  # inside a test's transaction the connection must stay
                close_old_connections()
            job = jobs.claim(name)
            if job is None:
                if once:
                    break
                time.sleep(interval)
                continue
            self.stdout.write(f"job {job.pk} {job.kind} …")
            job = jobs.run(job)
            self.stdout.write(f"job {job.pk} {job.status}")
        self.stdout.write(f"worker {name} stopped")
