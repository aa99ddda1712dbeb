"""`make hardening`: the long reliability and security runs (fuzzing, load, every role on every route).

Each hardening/hard_*.py module has `NAME` and `run() -> dict[str, float | int | str]`. This prints
`hardening NAME: key=value …` and merges the same into hardening/results.json, whose figures the
README's "Reliability and security" section states. The fast parts of the same checks run in
`make test` (and so in .ci/run) as ordinary tests.
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
    # A database of its own, like the benchmarks: the run may load and wreck data.
    os.environ["DATABASE_URL"] = os.environ.get(
        "HARDENING_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'hardening.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    os.environ.setdefault("ZHAOSHANG_DEMO", "1")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)

    results_path = HERE / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    failed = False
    for path in sorted(HERE.glob("hard_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if selected and module.NAME not in selected:
            continue
        figures = module.run()
        print(f"hardening {module.NAME}: " + " ".join(f"{k}={v}" for k, v in figures.items()), flush=True)
        results[module.NAME] = figures
        failed = failed or bool(figures.get("failures"))
        # Written after each part, so a later part that fails leaves the earlier figures current.
        results_path.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
