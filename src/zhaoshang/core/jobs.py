"""A database-backed job queue: no broker to run.

`enqueue` is idempotent on its key. A worker claims the oldest queued job with a conditional
UPDATE (only one worker can win the row), beats a heartbeat while it runs, and a job whose
worker died is taken over once its heartbeat is stale, so jobs survive a worker restart.
Job functions must therefore be idempotent themselves: they may run again from the start.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from zhaoshang.core import context
from zhaoshang.core.models import Job

log = logging.getLogger(__name__)

JobFunction = Callable[["JobRun"], dict[str, Any] | None]
_REGISTRY: dict[str, JobFunction] = {}
_LABELS: dict[str, str] = {}


def job(kind: str, label: str = "") -> Callable[[JobFunction], JobFunction]:
    """Register a function as the handler of a job kind; `label` is what people see (translatable)."""

    def register(fn: JobFunction) -> JobFunction:
        _REGISTRY[kind] = fn
        _LABELS[kind] = label or kind
        return fn

    return register


def label_of(kind: str) -> str:
    return str(_LABELS.get(kind, kind))


def registered(kind: str) -> bool:
    return kind in _REGISTRY


@dataclass
class JobRun:
    """What a job function gets: its parameters and a way to report progress."""

    job: Job
    on_progress: Callable[[int, int, str], None] | None = None

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def progress(self, done: int, total: int, message: str = "") -> None:
        now = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(
            progress_done=done, progress_total=total, message=message[:300], heartbeat_at=now
        )
        self.job.progress_done, self.job.progress_total, self.job.message = done, total, message
        if self.on_progress:
            self.on_progress(done, total, message)


def enqueue(
    kind: str, params: dict[str, Any] | None = None, *, key: str | None = None, user: Any = None
) -> Job:
    """Queue a job once: a second call with the same key returns the first job."""
    if kind not in _REGISTRY:
        raise ValueError(f"unknown job kind {kind!r}")
    params = params or {}
    key = key or f"{kind}:{sorted(params.items())}"
    job_row, _ = Job.objects.get_or_create(
        key=key, defaults={"kind": kind, "params": params, "created_by": user if user is not None else None}
    )
    return job_row


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(worker: str) -> Job | None:
    """Take the oldest runnable job; a stale running job counts as runnable."""
    now = timezone.now()
    stale_before = now - settings.ZHAOSHANG_JOB_STALE_AFTER
    runnable = Q(status=Job.Status.QUEUED) | Q(status=Job.Status.RUNNING, heartbeat_at__lt=stale_before)
    for candidate in (
        Job.objects.filter(runnable).order_by("created_at", "id").values("id", "status", "heartbeat_at")[:10]
    ):
        won = Job.objects.filter(
            id=candidate["id"], status=candidate["status"], heartbeat_at=candidate["heartbeat_at"]
        ).update(
            status=Job.Status.RUNNING,
            worker=worker,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
        )
        if won == 1:
            return Job.objects.get(id=candidate["id"])
    return None


def run(job_row: Job, on_progress: Callable[[int, int, str], None] | None = None) -> Job:
    """Run a claimed job to its end and store the outcome."""
    fn = _REGISTRY.get(job_row.kind)
    creator = job_row.created_by
    ctx = context.ActorContext(
        user_id=creator.pk if creator else None,
        user_repr=str(creator) if creator else "",
        channel="worker",
        request_id=f"job-{job_row.pk}",
    )
    with context.acting(ctx):
        try:
            if fn is None:
                raise LookupError(f"no handler for job kind {job_row.kind!r}")
            result = fn(JobRun(job_row, on_progress)) or {}
        except Exception as exc:
            log.exception("job %s failed", job_row.pk)
            retry = job_row.attempts < job_row.max_attempts and not isinstance(exc, LookupError)
            Job.objects.filter(pk=job_row.pk).update(
                status=Job.Status.QUEUED if retry else Job.Status.FAILED,
                error=traceback.format_exc()[-4000:],
                message=str(exc)[:300],
                finished_at=None if retry else timezone.now(),
            )
        else:
            with transaction.atomic():
                Job.objects.filter(pk=job_row.pk).update(
                    status=Job.Status.DONE,
                    result=result,
                    finished_at=timezone.now(),
                    heartbeat_at=timezone.now(),
                )
                _notify_done(job_row, result)
    job_row.refresh_from_db()
    return job_row


def _notify_done(job_row: Job, result: dict[str, Any]) -> None:
    from zhaoshang.core import notifications

    if job_row.created_by_id and result.get("notify_title"):
        notifications.notify(
            [job_row.created_by_id],
            kind="job_done",
            title=str(result["notify_title"]),
            body=str(result.get("notify_body", "")),
            link=f"/jobs/{job_row.pk}/",
            dedupe_key=f"job:{job_row.pk}",
        )


def run_pending(worker: str | None = None, limit: int | None = None) -> int:
    """Run jobs until none is left (or `limit` ran); returns how many ran."""
    worker = worker or worker_name()
    ran = 0
    while limit is None or ran < limit:
        job_row = claim(worker)
        if job_row is None:
            break
        run(job_row)
        ran += 1
    return ran
