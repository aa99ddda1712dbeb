"""`make bench`: runs every bench/bench_*.py against its own database and records the figures.

Each benchmark module has `NAME` and `run() -> dict[str, float | int | str]`. This prints
`bench NAME: key=value …` and merges the same into bench/results.json (on PostgreSQL, through
BENCH_DATABASE_URL: bench/results-postgresql.json) after each benchmark, so a
later one that fails leaves the earlier figures current. The database is emptied before every
benchmark: each one builds the data it needs, whatever an earlier one (or an earlier run) left.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main(selected: list[str]) -> int:
    # Always a database of its own: the run starts by emptying it.
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    os.environ.setdefault("ZHAOSHANG_DEMO", "1")
    import django
    from django.core.management import call_command

    sys.path.insert(0, str(HERE))  # bench/timing.py
    django.setup()
    call_command("migrate", "--noinput", verbosity=0)

    from django.db import connection

    # One file per database: bench/results.json (SQLite) and bench/results-postgresql.json.
    results_path = HERE / (
        "results.json" if connection.vendor == "sqlite" else f"results-{connection.vendor}.json"
    )
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if selected and module.NAME not in selected:
            continue
        call_command("flush", "--noinput", verbosity=0)
        figures = module.run()
        print(f"bench {module.NAME}: " + " ".join(f"{k}={v}" for k, v in figures.items()), flush=True)
        results[module.NAME] = figures
        results_path.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
