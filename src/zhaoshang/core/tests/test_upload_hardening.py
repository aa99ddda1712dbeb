"""Uploads that used to take the server down are refused with a reason, and the server keeps answering.

The files are built in the test (crafted.py): a 1.6 KB workbook with one cell at XFD1048576 (it
made calamine allocate 550 GB and abort the process), a 1.5 MB file holding a 1.5 GB shared
string (it drove the worker to 6.3 GB), a zip bomb; then truncated and mutated workbooks. Each goes
through the real upload page as a town user. Longer runs: hardening/hard_uploads.py.
"""

from __future__ import annotations

import datetime as dt
import io
import resource
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from zhaoshang.core import imports, jobs
from zhaoshang.core.models import ImportBatch, Job
from zhaoshang.core.sheets import Column, FileProblem, Sheet, preflight, read_rows
from zhaoshang.core.tests import crafted

pytestmark = pytest.mark.django_db

SHEET = Sheet(kind="t", title="Sheet1", columns=(Column("a", "甲"), Column("b", "乙")), key=("a",))
# The parent's own memory may grow by this much while it refuses any of these files.
PARENT_BOUND_MB = 64


def _upload(client: Client, data: bytes, name: str = "名录.xlsx") -> object:
    return client.post(
        "/enterprises/import/", {"kind": "enterprises", "file": SimpleUploadedFile(name, data)}
    )


@pytest.fixture
def town(county: object) -> Client:
    client = Client()
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    return client


def _refused(response: object, words: str) -> str:
    text = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200, text[:500]  # type: ignore[attr-defined]
    assert words in text, text[:2000]
    assert not ImportBatch.objects.exists()  # refused before anything was stored
    return text


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (crafted.far_cell, "第 1,048,576 行、第 16,384 列"),
        (crafted.far_cell_no_dimension, "读取它会耗尽服务器内存"),
        (crafted.huge_shared_string, "共享字符串表解压后有 1,500 MB"),
        (lambda: crafted.huge_shared_string(lie=True), "已损坏或不完整"),
        (crafted.zip_bomb, "可能是压缩炸弹，已拒绝"),
    ],
    ids=["xfd1048576", "far-cell-without-dimension", "shared-string-1.5gb", "lying-header", "zip-bomb"],
)
def test_a_hostile_workbook_is_refused_by_the_upload_page(town: Client, build: object, words: str) -> None:
    data = build()  # type: ignore[operator]
    assert len(data) < 2 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    try:
        _refused(_upload(town, data), words)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PARENT_BOUND_MB * 1024 * 1024, f"{peak / 1e6:.0f} MB"
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) < PARENT_BOUND_MB * 1024
    assert town.get("/enterprises/import/").status_code == 200  # the server keeps answering


def test_the_far_cell_file_is_the_small_one_of_the_report() -> None:
    data = crafted.far_cell()
    assert len(data) < 1977 + 500
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "xl/worksheets/sheet1.xml" in names


def test_a_file_the_preflight_lets_through_still_costs_only_a_child(town: Client, settings: object) -> None:
    """With the pre-flight limits opened wide, the limited child refuses: an unknown reader bug costs
    one child process, never the server (the batch is stored, its report names the refusal)."""
    settings.ZHAOSHANG_UPLOAD_MAX_ROWS = 2_000_000  # type: ignore[attr-defined]
    settings.ZHAOSHANG_UPLOAD_MAX_COLUMNS = 20_000  # type: ignore[attr-defined]
    settings.ZHAOSHANG_UPLOAD_MAX_CELLS = 10**12  # type: ignore[attr-defined]
    settings.ZHAOSHANG_UPLOAD_MEMBER_MAX_MB = 4096  # type: ignore[attr-defined]
    settings.ZHAOSHANG_UPLOAD_SHARED_STRINGS_MAX_MB = 4096  # type: ignore[attr-defined]
    settings.ZHAOSHANG_UPLOAD_UNPACKED_MAX_MB = 4096  # type: ignore[attr-defined]
    settings.ZHAOSHANG_UPLOAD_MAX_RATIO = 10_000  # type: ignore[attr-defined]
    settings.ZHAOSHANG_UPLOAD_CHILD_MEMORY_MB = 512  # type: ignore[attr-defined]
    for data, words in (
        (crafted.far_cell(), "文件无法读取"),
        (crafted.huge_shared_string(600), "文件无法读取：解析超出内存限制（512 MB）"),
    ):
        response = _upload(town, data)
        assert response.status_code == 302
        jobs.run_pending()  # the 600 MB one is above the inline size: the job worker (this process) reads it
        batch = ImportBatch.objects.latest("pk")
        assert batch.status == ImportBatch.Status.HAS_ERRORS
        assert words in batch.report["file_error"]
        page = town.get(f"/enterprises/import/{batch.pk}/")
        assert words in page.content.decode()


def test_csv_that_would_be_millions_of_cells_is_refused() -> None:
    with pytest.raises(FileProblem, match="行，超过上限"):
        preflight.check(b"\n" * 400_000, "a.csv")
    with pytest.raises(FileProblem, match="单元格太多"):
        preflight.check(b"," * 11_000_000, "a.csv")


def test_an_honest_workbook_reads_through_the_child() -> None:
    parsed = read_rows(SHEET, crafted.plain([["甲", "乙"], ["一", "二"], ["三", "四"]]), "a.xlsx")
    assert [values for _row, values in parsed.rows] == [{"a": "一", "b": "二"}, {"a": "三", "b": "四"}]


# ---------------------------------------------------------------- a fuzzed corpus

_HONEST = crafted.HONEST
_SHEET_XML = crafted.HONEST_SHEET
_mutated_zip = crafted.mutated_zip
_mutated_sheet = crafted.mutated_sheet


def _read_or_refuse(data: bytes) -> None:
    try:
        parsed = read_rows(SHEET, data, "a.xlsx")
    except FileProblem as exc:
        assert str(exc) and not str(exc).isascii()  # a refusal, in Chinese
    else:
        assert all(set(values) <= {"a", "b"} for _row, values in parsed.rows)


_FLIPS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6)


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.none() | st.integers(0, len(_HONEST)), flips=_FLIPS)
def test_truncated_and_mutated_workbooks_are_refused_or_read(
    cut: int | None, flips: list[tuple[int, int]]
) -> None:
    _read_or_refuse(_mutated_zip(_HONEST, cut, flips))


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.none() | st.integers(0, len(_SHEET_XML)), flips=_FLIPS)
def test_damaged_sheet_xml_in_a_sound_zip_is_refused_or_read(
    cut: int | None, flips: list[tuple[int, int]]
) -> None:
    _read_or_refuse(_mutated_sheet(flips, cut))


def test_mutated_workbooks_through_the_upload_page_never_give_an_error_page(town: Client) -> None:
    for i, data in enumerate(
        [
            _HONEST[: len(_HONEST) // 2],
            _mutated_zip(_HONEST, None, [(200, 0), (900, 255)]),
            _mutated_sheet([(150, ord("<")), (400, 0)], None),
            _mutated_sheet([], len(_SHEET_XML) // 3),
            b"PK\x03\x04" + b"\0" * 100,
        ]
    ):
        response = _upload(town, data, f"坏{i}.xlsx")
        assert response.status_code in (200, 302), response.status_code


# ---------------------------------------------------------------- batches whose process died


def _batch(county: object, data: bytes, status: str) -> ImportBatch:
    batch = imports.batch_create(kind="enterprises", filename="名录.xlsx", data=data, user=county.coordinator)  # type: ignore[attr-defined]
    batch.status = status
    batch.save(update_fields=["status"])
    return batch


def test_a_batch_whose_worker_died_three_times_ends_failed_with_the_reason(county: object) -> None:
    batch = _batch(county, crafted.plain([["甲"]]), ImportBatch.Status.CHECKING)
    job = jobs.enqueue("import.check", {"batch": batch.pk}, key=f"import.check:{batch.pk}")
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        attempts=job.max_attempts,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert jobs.claim("另一个进程") is None
    batch.refresh_from_db()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "多次中断" in job.message
    assert batch.status == ImportBatch.Status.FAILED
    assert "多次中断" in batch.report["file_error"] and "没有任何数据被导入" in batch.report["file_error"]
    client = Client()
    client.force_login(county.coordinator)  # type: ignore[attr-defined]
    page = client.get(f"/enterprises/import/{batch.pk}/").content.decode()
    assert "多次中断" in page and "正在后台处理" not in page


class _Killed(BaseException):
    """The process dies here (kill -9): nothing after this line of the run happens."""


def test_a_crash_right_after_the_commit_keeps_the_true_report(
    county: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhaoshang.enterprises.models import Enterprise
    from zhaoshang.enterprises.qualifications import ensure_defaults
    from zhaoshang.enterprises.tests.test_imports import _fill, _registry_rows

    ensure_defaults()
    batch = _batch(county, _fill("enterprises", _registry_rows(county)), ImportBatch.Status.READY)
    real_save = ImportBatch.save

    def dies_when_marking_imported(self: ImportBatch, *args: object, **kwargs: object) -> None:
        if self.status == ImportBatch.Status.IMPORTED:
            raise _Killed
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(ImportBatch, "save", dies_when_marking_imported)
    with pytest.raises(_Killed):
        imports.batch_run(ImportBatch.objects.get(pk=batch.pk), commit_it=True)
    monkeypatch.setattr(ImportBatch, "save", real_save)
    # The job is taken over and runs again from the start.
    again = imports.batch_run(ImportBatch.objects.get(pk=batch.pk), commit_it=True)
    assert again.status == ImportBatch.Status.IMPORTED
    assert again.report["new"] == 2, again.report  # not "新增 0"
    assert Enterprise.objects.count() == 2
    third = imports.batch_run(ImportBatch.objects.get(pk=batch.pk), commit_it=True)
    assert third.report["new"] == 2 and Enterprise.objects.count() == 2


def test_a_batch_whose_last_attempt_errs_ends_failed(county: object, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = _batch(county, crafted.plain([["甲"]]), ImportBatch.Status.CHECKING)
    job = jobs.enqueue("import.check", {"batch": batch.pk}, key=f"import.check:{batch.pk}")
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)
    Job.objects.filter(pk=job.pk).update(attempts=job.max_attempts - 1)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(imports, "batch_run", broken)
    assert jobs.run_pending() == 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "已重试 3 次仍未完成" in batch.report["file_error"]
