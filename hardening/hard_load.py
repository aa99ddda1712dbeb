"""Load held: 50 people of mixed roles on gunicorn for 60 s against the demo county (`make load`'s
county run, load/run.py), with the check afterwards that every write it was told succeeded is stored.
The province run on PostgreSQL is `make load LOAD=province` (minutes to build; not part of this)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

NAME = "load"
ROOT = Path(__file__).resolve().parent.parent


def run() -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # the load run has its own
    subprocess.run(  # noqa: S603 (our own load driver)
        [ROOT / ".venv" / "bin" / "python", ROOT / "load" / "run.py", "county"],
        cwd=ROOT,
        env=env,
        check=False,
    )
    county = json.loads((ROOT / "load" / "results.json").read_text())["county"]
    keys = ("users", "seconds", "requests", "errors", "p50_ms", "p95_ms", "pages_worst_p95_ms")
    figures = {k: county[k] for k in keys}
    figures.update(writes=county["writes_reported"], writes_lost=county["writes_lost"])
    figures["failures"] = county["errors"] + county["writes_lost"] + (county["worker_alive"] != "yes")
    return figures
