"""`zhaoshang worker`: runs background jobs from the database queue until stopped.

Once a day, from `ZHAOSHANG_DAILY_JOBS_HOUR` (Asia/Shanghai), it also queues the daily jobs (the
project alert digest); a job's key holds the day, so several workers or a restart queue it once.
`--once` queues none: run a daily job by hand with `zhaoshang jobs run <kind> --param today=…`.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection

from zhaoshang.core import jobs


class Command(BaseCommand):
    help = "Run background jobs from the database queue (no broker needed)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--once", action="store_true", help="run what is queued, then exit (queues no daily job)"
        )
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
        backoff = 0.0
        daily_done = None
        while not stopping:
            if not connection.in_atomic_block:  # inside a test's transaction the connection must stay
                close_old_connections()
            try:
                if not once and (day := jobs.daily_due(daily_done)) is not None:
                    jobs.enqueue_daily(day)
                    daily_done = day
                job = jobs.claim(name)
                if job is not None:
                    self.stdout.write(f"job {job.pk} {job.kind} …")
                    job = jobs.run(job)
                    self.stdout.write(f"job {job.pk} {job.status}")
            except DatabaseError as exc:
                # A locked, restarted or unreachable database never ends the worker: it waits (1, 2, 4 …
                # up to 30 s) and tries again; a job it was running is taken over once its heartbeat
                # is stale (by this worker or another), as after a crash.
                backoff = min(30.0, backoff * 2 or 1.0)
                self.stderr.write(f"worker {name}: database unavailable ({exc}); retrying in {backoff:.0f} s")
                if not connection.in_atomic_block:
                    connection.close()
                time.sleep(backoff)
                continue
            backoff = 0.0
            if job is None:
                if once:
                    break
                time.sleep(interval)
        self.stdout.write(f"worker {name} stopped")
