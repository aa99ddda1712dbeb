"""Spreadsheet imports: a dry run that reports every bad row, then an all-or-nothing commit.

Each app registers an `Importer` for a kind ("enterprises", "enterprise-years" …). The flow is the
same for all: upload → `ImportBatch` stored → dry run (inline for small files, a job for large ones)
→ report with row numbers → commit in one transaction → report again. Re-importing the same file
changes nothing: rows are matched on the importer's key and unchanged rows are left alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from zhaoshang.core import jobs
from zhaoshang.core.models import ImportBatch
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import MAX_BYTES, CellError, FileProblem, ParsedRows, Sheet, read_rows

MAX_UPLOAD_BYTES = MAX_BYTES

Progress = Callable[[int, int, str], None]
# Files up to this size are checked while the user waits; larger ones go to the job queue.
INLINE_BYTES = 512 * 1024
REPORT_ERRORS = 5000  # the report lists this many bad cells; the count is always complete


@dataclass
class RowChange:
    row: int
    key: tuple[Any, ...]
    action: str  # "new", "changed", "unchanged"
    values: dict[str, Any]
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    target_id: int | None = None


@dataclass
class Plan:
    kind: str
    parsed: ParsedRows
    changes: list[RowChange] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)  # row-level problems found against the database
    warnings: list[str] = field(default_factory=list)

    @property
    def all_errors(self) -> list[CellError]:
        return sorted(self.parsed.errors + self.errors, key=lambda e: (e.row, e.column))

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.all_errors})

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def report(self) -> dict[str, Any]:
        errors = self.all_errors
        return {
            "kind": self.kind,
            "sheet": self.parsed.sheet_name,
            "rows": len(self.parsed.rows) + self.parsed.bad_rows,
            "bad_rows": self.bad_rows,
            "errors": [e.as_dict() for e in errors[:REPORT_ERRORS]],
            "error_count": len(errors),
            "warnings": (self.parsed.warnings + self.warnings)[:200],
            "new": self.count("new"),
            "changed": self.count("changed"),
            "unchanged": self.count("unchanged"),
        }


class Importer(Protocol):
    kind: str
    label: str

    def sheet_for(self, by: Principal, writable: bool = True) -> Sheet:
        """The sheet with its choices (towns, parks …): those this principal may write to, or see."""
        ...

    def plan(self, parsed: ParsedRows, by: Principal, progress: Progress | None) -> Plan: ...

    def apply(self, plan: Plan, by: Principal, progress: Progress | None) -> None:
        """Write the plan's new and changed rows, with their audit events. Runs inside a transaction."""
        ...

    def export_records(self, by: Principal, filters: dict[str, Any]) -> Iterable[dict[str, Any]]: ...


REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    REGISTRY[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    try:
        return REGISTRY[kind]
    except KeyError:
        known = "、".join(f"{k}（{v.label}）" for k, v in REGISTRY.items())
        raise FileProblem(f"没有“{kind}”这种导入类型；可用：{known}") from None


def check(kind: str, data: bytes, filename: str, by: Principal, progress: Progress | None = None) -> Plan:
    """The dry run: parse, match against the database, report. Writes nothing."""
    importer = importer_for(kind)
    parsed = read_rows(importer.sheet_for(by), data, filename)
    if progress:
        progress(0, len(parsed.rows), "正在核对")
    return importer.plan(parsed, by, progress)


def commit(kind: str, data: bytes, filename: str, by: Principal, progress: Progress | None = None) -> Plan:
    """Check again and, only if no row is bad, write everything in one transaction."""
    plan = check(kind, data, filename, by, progress)
    if plan.all_errors:
        return plan
    with transaction.atomic():
        importer_for(kind).apply(plan, by, progress)
    return plan


# ---------------------------------------------------------------- uploads kept as batches


def batch_create(*, kind: str, filename: str, data: bytes, user: Any) -> ImportBatch:
    importer_for(kind)  # an unknown kind is refused before anything is stored
    return ImportBatch.objects.create(
        kind=kind,
        filename=filename[:200],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        created_by=user if getattr(user, "pk", None) else None,
    )


# How the person who uploaded a batch becomes the principal its check and commit run as. Core knows
# no users' roles: the org app registers the builder (`OrgConfig.ready`).
PrincipalBuilder = Callable[[Any], Principal]
_PRINCIPAL_BUILDER: list[PrincipalBuilder] = []


def register_principal_builder(builder: PrincipalBuilder) -> PrincipalBuilder:
    _PRINCIPAL_BUILDER[:] = [builder]
    return builder


def _principal_of(batch: ImportBatch) -> Principal:
    if not _PRINCIPAL_BUILDER:
        raise RuntimeError("没有登记由用户构造权限主体的方法（org 应用未加载）")
    return _PRINCIPAL_BUILDER[0](batch.created_by)


def batch_run(batch: ImportBatch, *, commit_it: bool, progress: Progress | None = None) -> ImportBatch:
    """Check (or commit) a stored upload and keep the report on it. Idempotent: an imported batch stays so.

    A commit writes the rows and marks the batch imported, with its report, in one transaction: a
    process killed after the commit leaves an imported batch with the true counts, and a re-run
    (the job taken over by another worker) finds it imported and changes nothing.
    """
    if batch.status == ImportBatch.Status.IMPORTED:
        return batch
    principal = _principal_of(batch)
    data = bytes(batch.content)
    try:
        plan = check(batch.kind, data, batch.filename, principal, progress)
    except FileProblem as exc:
        batch.report = {"file_error": str(exc), "error_count": 1}
        batch.status = ImportBatch.Status.HAS_ERRORS
        batch.save(update_fields=["report", "status"])
        return batch
    batch.report = plan.report()
    if plan.all_errors:
        batch.status = ImportBatch.Status.HAS_ERRORS
    elif commit_it:
        with transaction.atomic():
            current = ImportBatch.objects.select_for_update().defer("content").get(pk=batch.pk)
            if current.status == ImportBatch.Status.IMPORTED:  # another run got there first
                return current
            importer_for(batch.kind).apply(plan, principal, progress)
            batch.status, batch.committed_at = ImportBatch.Status.IMPORTED, timezone.now()
            batch.save(update_fields=["report", "status", "committed_at"])
        return batch
    else:
        batch.status = ImportBatch.Status.READY
    batch.save(update_fields=["report", "status", "committed_at"])
    return batch


def _batch_failed(job_row: Any, reason: str) -> None:
    """The job of a batch failed for good: the batch says so, with the reason, instead of "检查中" for ever."""
    ImportBatch.objects.filter(
        job=job_row, status__in=[ImportBatch.Status.CHECKING, ImportBatch.Status.IMPORTING]
    ).update(
        status=ImportBatch.Status.FAILED,
        report={"file_error": f"{reason}。没有任何数据被导入；请检查文件后重新上传。", "error_count": 1},
    )


@jobs.job("import.check", label="检查导入文件", on_failure=_batch_failed)
def _check_job(run: jobs.JobRun) -> dict[str, Any]:
    batch = ImportBatch.objects.get(pk=run.params["batch"])
    batch = batch_run(batch, commit_it=False, progress=run.progress)
    return {"batch": batch.pk, "status": batch.status}


@jobs.job("import.commit", label="导入数据", on_failure=_batch_failed)
def _commit_job(run: jobs.JobRun) -> dict[str, Any]:
    batch = ImportBatch.objects.get(pk=run.params["batch"])
    batch = batch_run(batch, commit_it=True, progress=run.progress)
    report = batch.report or {}
    return {
        "batch": batch.pk,
        "status": batch.status,
        "notify_title": f"导入完成：新增 {report.get('new', 0)}，修改 {report.get('changed', 0)}"
        if batch.status == ImportBatch.Status.IMPORTED
        else "导入未完成：文件有错误",
    }


def batch_start(batch: ImportBatch, *, commit_it: bool) -> ImportBatch:
    """Run small files now; queue large ones (the page then follows the job's progress)."""
    if batch.size <= INLINE_BYTES:
        return batch_run(batch, commit_it=commit_it)
    kind = "import.commit" if commit_it else "import.check"
    batch.job = jobs.enqueue(kind, {"batch": batch.pk}, key=f"{kind}:{batch.pk}", user=batch.created_by)
    batch.status = ImportBatch.Status.IMPORTING if commit_it else ImportBatch.Status.CHECKING
    batch.save(update_fields=["job", "status"])
    return batch


def export(kind: str, by: Principal, filters: dict[str, Any] | None = None) -> bytes:
    """What the principal sees of a kind, under the template's headers: it imports again unchanged."""
    from zhaoshang.core.sheets import export_bytes

    importer = importer_for(kind)
    return export_bytes(importer.sheet_for(by, writable=False), importer.export_records(by, filters or {}))


def template(kind: str, by: Principal) -> bytes:
    from zhaoshang.core.sheets import template_bytes

    return template_bytes(importer_for(kind).sheet_for(by))
