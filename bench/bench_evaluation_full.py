"""A whole evaluation run for a province: 200,000 enterprises from the database to stored results.

bench/run.py empties the database first, so each run rebuilds 基准省 with the demo generator
(`build_seconds`, not part of the timed figure). The scheme is the shipped 规上 scheme widened to
every enterprise ("covers": "all", no minimum land), so every enterprise gets a stored result. The
timed figure is `runner.run_evaluation`: reading the columns, scoring, and writing the results and
the audit event; median of three runs (each stores a new version). Goal: at most 20 s.

BENCH_EVALUATION_PROFILE=path: after the timed run, run once more under cProfile, print the top
costs to stderr and keep the stats at that path (pstats format).
"""

from __future__ import annotations

import copy
import cProfile
import os
import pstats
import sys
import time
from typing import Any

from timing import figures as figures_of
from timing import measure
from tqdm import tqdm

from zhaoshang.core import context
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.demo.province import PROVINCE, build_province
from zhaoshang.evaluation import runner, services
from zhaoshang.evaluation.models import Evaluation, EvaluationResult, Scheme
from zhaoshang.org.models import Unit

NAME = "evaluation_full"
ENTERPRISES = int(os.environ.get("BENCH_EVALUATION_ENTERPRISES", "200000"))
YEAR = 2025
ACTOR = context.ActorContext(user_repr="基准测试", channel="cli")


def _build() -> tuple[int, float]:
    start = time.perf_counter()
    with tqdm(total=ENTERPRISES, desc="生成基准省", unit=" 家", file=sys.stderr) as bar:
        counts = build_province(
            enterprises=ENTERPRISES, progress=lambda done, total: bar.update(done - bar.n)
        )
    return counts["enterprises"], time.perf_counter() - start


def _scheme() -> Scheme:
    definition = copy.deepcopy(services.shipped_definitions()["above_scale"])
    definition["covers"] = "all"
    definition["scope"]["min_land_below"] = 0
    province = Unit.objects.get(name=PROVINCE, kind__code="province")
    return services.scheme_create(
        SYSTEM, name="基准全量评价", year=YEAR, unit=province, definition=definition
    )


def _evaluate(scheme: Scheme) -> Evaluation:
    with tqdm(total=100, desc="评价", unit="%", file=sys.stderr) as bar:

        def progress(done: int, total: int, message: str) -> None:
            bar.total = total
            bar.set_description(message, refresh=False)
            bar.update(done - bar.n)

        return runner.run_evaluation(SYSTEM, scheme, progress=progress)


def _profile(scheme: Scheme, path: str) -> None:
    profile = cProfile.Profile()
    profile.enable()
    _evaluate(scheme)
    profile.disable()
    profile.dump_stats(path)
    stats = pstats.Stats(profile, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)


def run() -> dict[str, Any]:
    with context.acting(ACTOR):
        built, build_seconds = _build()
        scheme = _scheme()
        # Each run stores a new version of the results (the earlier one superseded), as a re-run does.
        timing, evaluation = measure(lambda: _evaluate(scheme))
        seconds = timing["median"]
        stored = EvaluationResult.objects.filter(run=evaluation).count()
        assert stored == evaluation.counts["listed"], (stored, evaluation.counts)
        assert stored == built, f"{stored} results stored for {built} enterprises"
        if path := os.environ.get("BENCH_EVALUATION_PROFILE"):
            _profile(scheme, path)
    return {
        "enterprises": stored,
        **figures_of("", timing, 2),
        "enterprises_per_second": round(stored / seconds),
        "build_seconds": round(build_seconds, 1),
        "goal_under_20s": "yes" if seconds <= 20 else "no",
    }
