"""Parsing an uploaded spreadsheet in a child process with a memory and a CPU-time limit.

Even after the pre-flight check (`preflight.py`), a reader may have a bug we do not know: a Rust
allocation failure in calamine aborts the whole process and cannot be caught. So the parse runs
here, in a child started as `python -I …/sandbox.py MEMORY_MB CPU_SECONDS`, which first lowers its
own limits (address space, CPU time, no core file, no file written), then reads the request from
stdin and writes the table to stdout. The parent (`parse`) turns a child that was killed, ran out
of memory or time, or answered nonsense into a `Refused` with a Chinese message: one child dies,
never the web server or the job worker.

This file imports nothing of the project (the child starts in about 50 ms): only the standard
library and python-calamine. The table comes back pickled, and the parent unpickles it with a
restricted unpickler that knows only the date and time classes a cell can hold.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
Table = list[list[Any]]


class Refused(ValueError):
    """The file cannot be read; the message says why, in Chinese."""


# ---------------------------------------------------------------- what the child does


def table_from_csv(data: bytes) -> Table:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Refused("文件既不是 Excel 工作簿，也不是 UTF-8 或 GB18030 编码的 CSV")
    if "\x00" in text:
        raise Refused("文件不是电子表格（含有二进制内容）")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error:
        raise Refused("CSV 文件格式有误（引号不成对或字段过长）") from None


def table_from_workbook(data: bytes, wanted: str) -> tuple[str, Table]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(workbook.sheet_names)
        if not names:
            raise Refused("工作簿中没有工作表")
        name = wanted if wanted in names else names[0]
        return name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError, KeyError, IndexError, TypeError) as exc:
        if isinstance(exc, Refused):
            raise
        raise Refused("无法读取该 Excel 文件：文件已损坏或不是 Excel 正常保存的格式") from None


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    import resource

    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # it writes no file; its answer goes to a pipe


def child_main(argv: list[str]) -> int:
    _limit(int(argv[1]), int(argv[2]))
    stdin = sys.stdin.buffer
    request = json.loads(stdin.readline())
    data = stdin.read()
    answer: tuple[Any, ...]
    try:
        if request["kind"] == "csv":
            answer = ("ok", "CSV", table_from_csv(data))
        else:
            answer = ("ok", *table_from_workbook(data, request["sheet"]))
    except Refused as exc:
        answer = ("refused", str(exc))
    except MemoryError:
        answer = ("refused", MEMORY_MESSAGE)
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    return 0


# ---------------------------------------------------------------- what the parent does

MEMORY_MESSAGE = "文件无法读取：解析超出内存限制（{memory} MB），可能是构造过的恶意文件，已拒绝"
TIME_MESSAGE = "文件无法读取：解析超出时间限制（{seconds} 秒），可能是构造过的恶意文件，已拒绝"
CRASH_MESSAGE = "文件无法读取：解析进程意外中止，可能是损坏或构造过的文件，已拒绝"
_CELL_CLASSES = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
}
_SIGNAL_CPU = 24  # SIGXCPU: the CPU-time limit
_SIGNAL_KILL = 9


class _CellUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _CELL_CLASSES:
            return getattr(dt, name)
        raise pickle.UnpicklingError("unexpected class in a parsed table")


def parse(
    data: bytes, *, kind: str, sheet: str, memory_mb: int, cpu_seconds: int, wall_seconds: int
) -> tuple[str, Table]:
    """(sheet name, rows of plain values) of `data`, parsed in a limited child; raises Refused."""
    request = json.dumps({"kind": kind, "sheet": sheet}).encode() + b"\n"
    command = [sys.executable, "-I", str(HERE), str(memory_mb), str(cpu_seconds)]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and file, no shell
            command, input=request + data, capture_output=True, timeout=wall_seconds, check=False
        )
    except subprocess.TimeoutExpired:
        raise Refused(TIME_MESSAGE.format(seconds=wall_seconds)) from None
    if done.returncode == -_SIGNAL_CPU:
        raise Refused(TIME_MESSAGE.format(seconds=cpu_seconds))
    if done.returncode != 0 or not done.stdout:
        # An allocation refused under the address-space limit aborts (SIGABRT) or raises MemoryError.
        stderr = done.stderr[-2000:]
        if done.returncode in (-6, -_SIGNAL_KILL) or b"memory" in stderr.lower():
            raise Refused(MEMORY_MESSAGE.format(memory=memory_mb))
        raise Refused(CRASH_MESSAGE)
    try:
        answer = _CellUnpickler(io.BytesIO(done.stdout)).load()
    except Exception:
        raise Refused(CRASH_MESSAGE) from None
    if answer[0] == "refused":
        raise Refused(str(answer[1]).format(memory=memory_mb))
    return str(answer[1]), answer[2]


if __name__ == "__main__":
    sys.exit(child_main(sys.argv))
