"""schemathesis against the whole OpenAPI document as every role, many examples per operation.

The suite runs the same with a few examples (`src/zhaoshang/api/tests/test_schemathesis.py`);
here each operation gets `HARD_API_EXAMPLES` (default 60) generated requests per role.
"""

from __future__ import annotations

import os
import time

NAME = "api"


def run() -> dict[str, float | int | str]:
    from django.test.utils import override_settings

    from zhaoshang.api.tests import fuzzing
    from zhaoshang.demo.county import build_demo_county, demo_exists

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        if not demo_exists():
            build_demo_county()
    started = time.monotonic()
    figures = fuzzing.run(examples=int(os.environ.get("HARD_API_EXAMPLES", "60")))
    for problem in figures.problems[:20]:
        print("  ", problem, flush=True)
    failures = figures.server_errors + figures.schema_violations + figures.scope_leaks
    return {**figures.as_dict(), "failures": failures, "seconds": round(time.monotonic() - started, 1)}
