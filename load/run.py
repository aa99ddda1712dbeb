"""`make load`: 50 people of mixed roles on gunicorn for a bounded time; figures per page kind.

    python load/run.py county     # the demo county on SQLite, 60 s (LOAD_SECONDS, LOAD_USERS_COUNT)
    python load/run.py province   # 基准省 on a throw-away PostgreSQL, 200,000 enterprises, 300 s

Loopback only. gunicorn serves as the README's deploy step 6 does (`-w 4`), the job worker runs
beside it, and locust drives the people from a second process on the same machine. Printed and
merged into load/results.json: requests, errors, p50 / p95 / p99 per page kind, and the check that
every write locust was told succeeded is stored. The figures count from the moment all the people
have logged in (locust's --reset-stats): the log-ins themselves are a burst of password hashing.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = ROOT / ".venv" / "bin"
PORT = int(os.environ.get("LOAD_PORT", "8766"))
SCALES = {
    "county": {"seconds": 60, "users": 50},
    "province": {"seconds": 300, "users": 50},
}


def _database(scale: str, env: dict[str, str]) -> None:
    if scale == "province":
        env["PGPORT"], env["PGTMP"] = "54332", "/tmp/zhaoshang-pg-load"
        url = subprocess.run(
            ["bash", "scripts/pg-test-server", "start"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    else:
        path = ROOT / "var" / "load.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    env["DATABASE_URL"] = url


def _wait(base: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=5)  # noqa: S310 (loopback)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer")


def _figures(prefix: Path) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    kinds, total = {}, {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            figures = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
            }
            if row["Name"] == "Aggregated":
                total = figures
            else:
                kinds[row["Name"]] = figures
    return kinds, total


def main(scale: str) -> int:
    spec = SCALES[scale]
    seconds = int(os.environ.get("LOAD_SECONDS", spec["seconds"]))
    users = int(os.environ.get("LOAD_USERS_COUNT", spec["users"]))
    env = dict(os.environ, ZHAOSHANG_DEMO="1", DEBUG="0", DJANGO_SETTINGS_MODULE="zhaoshang.settings")
    out = ROOT / "var" / "load"
    out.mkdir(parents=True, exist_ok=True)
    _database(scale, env)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run([VENV / "zhaoshang", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        start = time.perf_counter()
        built = json.loads(
            subprocess.run(
                [VENV / "python", HERE / "build.py", scale],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        build_seconds = time.perf_counter() - start
        base = f"http://127.0.0.1:{PORT}"
        log = open(out / f"{scale}-server.log", "wb")  # noqa: SIM115 (closed with the processes)
        procs.append(
            subprocess.Popen(
                [
                    VENV / "gunicorn",
                    "zhaoshang.wsgi",
                    "-c",
                    "gunicorn.conf.py",
                    "-b",
                    f"127.0.0.1:{PORT}",
                    "-w",
                    "4",
                ],
                cwd=ROOT,
                env=env,
                stderr=log,
            )
        )
        procs.append(
            subprocess.Popen([VENV / "zhaoshang", "worker"], cwd=ROOT, env=env, stderr=log, stdout=log)
        )
        _wait(base)
        marker = f"压测{int(time.time())}"
        locust_env = dict(
            env,
            LOAD_USERS=",".join(built["users"]),
            LOAD_PASSWORD=built["password"],
            LOAD_MARKER=marker,
            LOAD_RANKING_URL=built["ranking"],
            LOAD_WRITES_FILE=str(out / f"{scale}-writes.json"),
        )
        prefix = out / scale
        subprocess.run(
            [
                VENV / "locust", "-f", HERE / "locustfile.py", "--headless", "-u", str(users), "-r", "10",
                "-t", f"{seconds}s", "--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
                "--reset-stats",
            ],
            cwd=ROOT, env=locust_env, check=False,
        )  # fmt: skip
        worker_alive = procs[1].poll() is None
        kinds, total = _figures(prefix)
        written = json.loads((out / f"{scale}-writes.json").read_text())
        stored = json.loads(
            subprocess.run(
                [VENV / "python", HERE / "build.py", "count", marker], cwd=ROOT, env=env, check=True,
                capture_output=True, text=True,
            ).stdout.strip().splitlines()[-1]
        )  # fmt: skip
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
        if scale == "province":
            subprocess.run(["bash", "scripts/pg-test-server", "stop"], cwd=ROOT, env=env, check=False)
    pages = [k for k in kinds if not k.startswith(("登录", "登记", "接口"))]
    figures = {
        "users": users,
        "seconds": seconds,
        "accounts": len(built["users"]),
        "build_seconds": round(build_seconds, 1),
        **total,
        "pages_worst_p95_ms": max((kinds[k]["p95_ms"] for k in pages), default=0),
        "writes_reported": sum(written.values()),
        "writes_stored": sum(stored.values()),
        "writes_lost": sum(max(0, written[k] - stored.get(k, 0)) for k in written),
        "worker_alive": "yes" if worker_alive else "no",
    }
    print(f"load {scale}: " + " ".join(f"{k}={v}" for k, v in figures.items()), flush=True)
    for name, f in sorted(kinds.items()):
        print(f"load {scale} {name}: " + " ".join(f"{k}={v}" for k, v in f.items()), flush=True)
    results_path = HERE / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    results[scale] = {**figures, "pages": kinds}
    results_path.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return 0 if figures["writes_lost"] == 0 and worker_alive else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "county"))
