"""A database-backed job queue: no broker to run.

`enqueue` is idempotent on its key. A worker claims the oldest queued job with a conditional
UPDATE (only one worker can win the row), beats a heartbeat while it runs, and a job whose
worker died is taken over once its heartbeat is stale, so jobs survive a worker restart.
Job functions must therefore be idempotent themselves: they may run again from the start.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from zhaoshang.core import context
from zhaoshang.core.models import Job

log = logging.getLogger(__name__)

JobFunction = Callable[["JobRun"], dict[str, Any] | None]
FailureHook = Callable[[Job, str], None]
_REGISTRY: dict[str, JobFunction] = {}
_LABELS: dict[str, str] = {}
_ON_FAILURE: dict[str, FailureHook] = {}
_DAILY: list[str] = []
# What people read when the worker died on the job as often as it may be tried.
DIED_MESSAGE = (
    "后台进程在处理这项任务时多次中断（共 {attempts} 次，可能是文件或数据导致进程崩溃），任务已停止"
)


def job(
    kind: str, label: str = "", on_failure: FailureHook | None = None, *, daily: bool = False
) -> Callable[[JobFunction], JobFunction]:
    """Register a function as the handler of a job kind; `label` is what people see, in Chinese.

    `daily=True`: the worker queues it once a day (`enqueue_daily`), with the day as `params["today"]`.

    `on_failure(job, reason)` runs once the job is failed for good (an error on its last attempt, or
    its worker died on it `max_attempts` times), so what the job was working on does not stay
    "in progress" for ever.
    """

    def register(fn: JobFunction) -> JobFunction:
        _REGISTRY[kind] = fn
        _LABELS[kind] = label or kind
        if on_failure is not None:
            _ON_FAILURE[kind] = on_failure
        if daily and kind not in _DAILY:
            _DAILY.append(kind)
        return fn

    return register


def _failed(job_row: Job, reason: str) -> None:
    hook = _ON_FAILURE.get(job_row.kind)
    if hook is None:
        return
    try:
        hook(job_row, reason)
    except Exception:  # the job stays failed; the hook's own fault is only logged
        log.exception("failure hook of job %s failed", job_row.pk)


def label_of(kind: str) -> str:
    return str(_LABELS.get(kind, kind))


def registered(kind: str) -> bool:
    return kind in _REGISTRY


class JobLost(RuntimeError):
    """Another worker took the job over (this one was thought dead): stop without writing more."""


def _mine(job_row: Job) -> Any:
    """The job's row, only while this run still owns it: a takeover bumps `attempts` and `worker`."""
    return Job.objects.filter(pk=job_row.pk, worker=job_row.worker, attempts=job_row.attempts)


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
        owned = _mine(self.job).update(
            progress_done=done, progress_total=total, message=message[:300], heartbeat_at=now
        )
        if not owned:
            raise JobLost(f"job {self.job.pk} was taken over by another worker")
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


def enqueue_daily(today: dt.date) -> list[Job]:
    """Queue each daily job for `today`, once: its key holds the day, so every worker, restart and
    second call of the same day finds the job already there."""
    day = today.isoformat()
    return [enqueue(kind, {"today": day}, key=f"{kind}:daily:{day}") for kind in _DAILY]


def daily_due(last_day: dt.date | None, now: dt.datetime | None = None) -> dt.date | None:
    """The day whose daily jobs a worker should queue now (None: done already or too early)."""
    local = timezone.localtime(now)
    if local.date() == last_day or local.hour < settings.ZHAOSHANG_DAILY_JOBS_HOUR:
        return None
    return local.date()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(worker: str, job_id: int | None = None) -> Job | None:
    """Take the oldest runnable job (or the given one); a stale running job counts as runnable."""
    now = timezone.now()
    stale_before = now - settings.ZHAOSHANG_JOB_STALE_AFTER
    stale = Q(status=Job.Status.RUNNING, heartbeat_at__lt=stale_before)
    # A job that has killed its worker as often as it may be tried is not tried again.
    for dead in Job.objects.filter(stale, attempts__gte=F("max_attempts")):
        reason = DIED_MESSAGE.format(attempts=dead.attempts)
        if Job.objects.filter(pk=dead.pk, status=Job.Status.RUNNING, heartbeat_at=dead.heartbeat_at).update(
            status=Job.Status.FAILED, message=reason[:300], error=reason, finished_at=now
        ):
            _failed(dead, reason)
    candidates = Job.objects.filter(Q(status=Job.Status.QUEUED) | stale)
    if job_id is not None:
        candidates = candidates.filter(pk=job_id)
    for candidate in candidates.order_by("created_at", "id").values("id", "status", "heartbeat_at")[:10]:
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
    with context.acting(ctx), _Heartbeat(job_row):
        try:
            if fn is None:
                raise LookupError(f"no handler for job kind {job_row.kind!r}")
            result = fn(JobRun(job_row, on_progress)) or {}
        except JobLost:
            log.warning("job %s was taken over by another worker; this run stops", job_row.pk)
        except Exception as exc:
            log.exception("job %s failed", job_row.pk)
            retry = job_row.attempts < job_row.max_attempts and not isinstance(exc, LookupError)
            if (
                _mine(job_row).update(
                    status=Job.Status.QUEUED if retry else Job.Status.FAILED,
                    error=traceback.format_exc()[-4000:],
                    message=str(exc)[:300],
                    finished_at=None if retry else timezone.now(),
                )
                and not retry
            ):
                _failed(job_row, f"后台处理出错，已重试 {job_row.attempts} 次仍未完成，任务已停止")
        else:
            with transaction.atomic():
                if not _mine(job_row).update(
                    status=Job.Status.DONE,
                    result=result,
                    finished_at=timezone.now(),
                    heartbeat_at=timezone.now(),
                ):
                    log.warning(
                        "job %s finished after another worker took it over; result dropped", job_row.pk
                    )
                else:
                    _notify_done(job_row, result)
    job_row.refresh_from_db()
    return job_row


class _Heartbeat:
    """Beats the job's heartbeat from a side thread, so a long step without progress is not taken for dead."""

    def __init__(self, job_row: Job) -> None:
        self.job_row = job_row
        self.stop = threading.Event()
        self.interval = settings.ZHAOSHANG_JOB_STALE_AFTER.total_seconds() / 4
        self.thread = threading.Thread(target=self._beat, daemon=True, name=f"heartbeat-{job_row.pk}")

    def _beat(self) -> None:
        try:
            while not self.stop.wait(self.interval):
                _mine(self.job_row).update(heartbeat_at=timezone.now())
        except Exception:  # a missed beat only risks a takeover, which the run detects
            log.exception("heartbeat of job %s failed", self.job_row.pk)
        finally:
            connections.close_all()

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()


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
