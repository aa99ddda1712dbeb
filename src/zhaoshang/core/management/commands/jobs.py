"""`zhaoshang jobs`: list background jobs, run one here with a progress bar, or watch one the worker runs."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from zhaoshang.core import context, jobs
from zhaoshang.core.models import Job


class Command(BaseCommand):
    help = "List, run or watch background jobs."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("list", help="the 20 newest jobs")
        run = sub.add_parser("run", help="queue a job and run it in this process, with a progress bar")
        run.add_argument("kind")
        run.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
        watch = sub.add_parser("watch", help="follow a job run by the worker until it ends")
        watch.add_argument("job_id", type=int)

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        if verb == "list":
            for job in Job.objects.order_by("-created_at")[:20]:
                self.stdout.write(f"{job.pk:>6} {job.get_status_display():<6} {job.percent:>3}% {job.label}")
        elif verb == "run":
            self._run(options["kind"], options["param"])
        else:
            self._watch(options["job_id"])

    def _run(self, kind: str, raw_params: list[str]) -> None:
        if not jobs.registered(kind):
            raise CommandError(f"没有这种后台任务：{kind}")
        params = dict(p.split("=", 1) for p in raw_params if "=" in p)
        with context.acting(context.ActorContext(user_repr="命令行", channel="cli")):
            job = jobs.enqueue(kind, params, key=f"{kind}:cli:{context.new_request_id()}")
            claimed = jobs.claim(jobs.worker_name(), job_id=job.pk)
            if claimed is None:
                raise CommandError("任务已被后台进程领取，请用 jobs watch 跟踪。")
            with tqdm(total=0, desc=job.label, file=sys.stderr) as bar:

                def progress(done: int, total: int, message: str) -> None:
                    bar.total, bar.n = total, done
                    bar.refresh()

                job = jobs.run(claimed, on_progress=progress)
        self._report(job)

    def _watch(self, job_id: int) -> None:
        job = Job.objects.filter(pk=job_id).first()
        if job is None:
            raise CommandError(f"没有编号为 {job_id} 的后台任务")
        with tqdm(total=0, desc=job.label, file=sys.stderr) as bar:
            while True:
                job.refresh_from_db()
                bar.total, bar.n = job.progress_total, job.progress_done
                bar.refresh()
                if job.finished:
                    break
                time.sleep(0.5)
        self._report(job)

    def _report(self, job: Job) -> None:
        if job.status != Job.Status.DONE:
            raise CommandError(f"任务 {job.pk} {job.get_status_display()}：{job.message}")
        result = job.result or {}
        self.stdout.write(f"任务 {job.pk} 已完成：{result.get('notify_title', result)}")
