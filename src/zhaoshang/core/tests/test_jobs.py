"""The database job queue: idempotent enqueue, one winner per claim, progress, restarts, retries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhaoshang.core import jobs
from zhaoshang.core.models import Job, Notification
from zhaoshang.org.tests.factories import JobFactory, UserFactory

pytestmark = pytest.mark.django_db


@jobs.job("test.flaky")
def _flaky(run: jobs.JobRun) -> dict[str, object]:
    raise ValueError("数据库暂时不可用")


def test_enqueue_is_idempotent_on_its_key() -> None:
    first = jobs.enqueue("test.count", {"n": 2}, key="import-2025")
    second = jobs.enqueue("test.count", {"n": 2}, key="import-2025")
    assert first.pk == second.pk
    assert Job.objects.count() == 1


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown job kind"):
        jobs.enqueue("no.such.job")


def test_only_one_worker_wins_a_job() -> None:
    JobFactory()
    assert jobs.claim("worker-a") is not None
    assert jobs.claim("worker-b") is None


def test_a_job_records_its_progress_and_result() -> None:
    job = JobFactory(params={"n": 4})
    seen: list[tuple[int, int]] = []
    done = jobs.run(jobs.claim("w"), on_progress=lambda d, t, m: seen.append((d, t)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert done.status == Job.Status.DONE and done.result == {"counted": 4}
    assert done.percent == 100 and done.pk == job.pk


def test_a_job_whose_worker_died_is_taken_over() -> None:
    job = JobFactory()
    jobs.claim("dead-worker")
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=10))
    taken = jobs.claim("new-worker")
    assert taken is not None and taken.pk == job.pk and taken.worker == "new-worker" and taken.attempts == 2
    assert jobs.run(taken).status == Job.Status.DONE


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone() -> None:
    JobFactory()
    jobs.claim("busy-worker")
    assert jobs.claim("other-worker") is None


def test_a_failing_job_is_retried_then_marked_failed() -> None:
    job = jobs.enqueue("test.flaky", key="flaky")
    assert jobs.run_pending(limit=10) == 3
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 3
    assert "数据库暂时不可用" in job.message


def test_the_creator_is_told_when_a_job_finishes(django_capture_on_commit_callbacks: object) -> None:
    user = UserFactory()
    jobs.enqueue("audit.verify", key="v1", user=user)
    jobs.run_pending()
    note = Notification.objects.get(recipient=user)
    assert "审计链完好" in note.title or "Audit chain intact" in note.title


def test_the_progress_fragment_stops_polling_when_done(client: object, county: object) -> None:
    client.force_login(county.inspector)  # type: ignore[attr-defined]
    job = jobs.enqueue("test.count", {"n": 2}, key="p", user=county.inspector)  # type: ignore[attr-defined]
    running = client.get(f"/jobs/{job.pk}/progress/")  # type: ignore[attr-defined]
    assert running.status_code == 200 and 'hx-trigger="every 1s"' in running.content.decode()
    jobs.run_pending()
    finished = client.get(f"/jobs/{job.pk}/progress/")  # type: ignore[attr-defined]
    assert finished.status_code == 286 and "100%" in finished.content.decode()


def test_someone_elses_job_is_not_found(client: object, county: object) -> None:
    job = jobs.enqueue("test.count", key="mine", user=county.staff_a)  # type: ignore[attr-defined]
    client.force_login(county.staff_b)  # type: ignore[attr-defined]
    assert client.get(f"/jobs/{job.pk}/").status_code == 404  # type: ignore[attr-defined]


def test_the_worker_command_runs_what_is_queued(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    JobFactory()
    call_command("worker", "--once")
    assert Job.objects.get().status == Job.Status.DONE


def test_a_job_that_keeps_killing_its_worker_is_stopped() -> None:
    job = JobFactory(max_attempts=2)
    for worker in ("w1", "w2"):
        assert jobs.claim(worker) is not None
        Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=10))
    assert jobs.claim("w3") is None
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "多次中断" in job.message


def test_a_worker_thought_dead_cannot_overwrite_the_new_owner() -> None:
    job = JobFactory()
    first = jobs.claim("slow-worker")
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=10))
    second = jobs.claim("new-worker")
    assert first is not None and second is not None
    jobs.run(first)  # the slow worker wakes up and finishes: its progress is refused, nothing is written
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.worker == "new-worker"
    assert jobs.run(second).status == Job.Status.DONE


def test_jobs_run_takes_its_own_job_not_an_older_one(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    older = JobFactory()
    call_command("jobs", "run", "audit.verify")
    older.refresh_from_db()
    assert older.status == Job.Status.QUEUED and older.attempts == 0


def test_the_worker_survives_a_locked_database_and_finishes_the_job(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command
    from django.db import OperationalError

    JobFactory()
    real_claim, failures, waits = jobs.claim, [OperationalError("database is locked")] * 2, []

    def claim(worker: str, job_id: int | None = None) -> Job | None:
        if failures:
            raise failures.pop()
        return real_claim(worker, job_id)

    monkeypatch.setattr(jobs, "claim", claim)
    monkeypatch.setattr("zhaoshang.core.management.commands.worker.time.sleep", waits.append)
    call_command("worker", "--once")
    assert Job.objects.get().status == Job.Status.DONE
    assert waits == [1.0, 2.0]  # backed off, and did not end
    assert "database is locked" in capsys.readouterr().err
