"""Evaluation engine: `scoring.score` on 1,000,000 synthetic enterprises, against the row-by-row reference.

The method is the shipped 规上 scheme (six indicators, constant benchmarks, 20/40/35/5 shares). The
figures are seeded lognormal magnitudes with the awkward cases real returns have: missing energy,
emission and R&D figures (imputed at the average), zero tax, zero or missing land (cannot be
evaluated), zero revenue, and whole rows copied from a small pool so that totals tie exactly.

Goal: at most 0.25 s for the 1,000,000 rows (stretch 0.1 s). The reference
(`evaluation.tests.reference.evaluate`) is plain row-by-row Python written as a competent engineer
would: each column statistic once per indicator, linear in the rows. It runs on the same 1,000,000
rows, timed the same way (median of three after one untimed warm-up run each, building its row dicts
untimed), and the engine's totals, ranks and grades must equal its results.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
from timing import figures as figures_of
from timing import measure

from zhaoshang.evaluation import scoring
from zhaoshang.evaluation.method import Method, parse
from zhaoshang.evaluation.tests import reference

NAME = "evaluation_engine"
ROWS = int(os.environ.get("BENCH_ENGINE_ROWS", "1000000"))
SEED = 20251121
SCHEME = Path(scoring.__file__).resolve().parent / "schemes" / "above_scale.json"
FIGURES = (
    "tax",
    "value_added",
    "revenue",
    "energy_tce",
    "emission_equivalent",
    "employees",
    "rd_spending",
    "land",
)


def _figures(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """One year's figures in 万元, 吨标准煤, 当量, people and 亩."""
    output = rng.lognormal(np.log(8000), 1.2, n)
    revenue = output * rng.uniform(0.9, 1.02, n)
    f = {
        "revenue": revenue,
        "value_added": output * rng.uniform(0.2, 0.32, n),
        "tax": revenue * rng.uniform(0.01, 0.04, n),
        "energy_tce": output * rng.uniform(0.02, 0.6, n),
        "emission_equivalent": output * rng.uniform(0.0002, 0.006, n),
        "employees": np.maximum(3.0, np.round(output / rng.uniform(40, 120, n))),
        "rd_spending": revenue * rng.uniform(0.0, 0.04, n),
        "land": np.round(rng.lognormal(np.log(40), 0.9, n), 4),
    }

    def some(share: float) -> np.ndarray:
        return rng.random(n) < share

    f["energy_tce"][some(0.10)] = np.nan
    f["emission_equivalent"][some(0.12)] = np.nan
    f["rd_spending"][some(0.08)] = np.nan
    f["land"][some(0.003)] = np.nan
    f["tax"][some(0.02)] = 0.0  # 亩均税收 0: scored, at the bottom
    f["rd_spending"][some(0.05)] = 0.0
    f["energy_tce"][some(0.01)] = 0.0  # denominator 0: missing, imputed at the average
    f["revenue"][some(0.005)] = 0.0
    f["land"][some(0.005)] = 0.0  # no land: cannot be evaluated (亩均 indicators are "exclude")
    # Exact ties: 3% of the rows copy every figure of one of 300 template enterprises.
    copies = np.flatnonzero(some(0.03))
    templates = rng.choice(n, 300, replace=False)
    source = templates[rng.integers(0, templates.size, copies.size)]
    for column in f.values():
        column[copies] = column[source]
    return f


def _adjustments(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    adjust = np.where(rng.random(n) < 0.10, 3.0, 0.0)  # 高新技术企业
    adjust += np.where(rng.random(n) < 0.05, 2.0, 0.0)  # 省级企业技术中心
    adjust -= 5.0 * (rng.random(n) < 0.01)  # one accident
    veto = rng.random(n) < 0.0005  # 重大事故: a few hundred
    return adjust, veto


def _method() -> Method:
    return parse(json.loads(SCHEME.read_text("utf-8")))


def _rows(figures: dict[str, np.ndarray], at: np.ndarray) -> list[dict[str, float | None]]:
    columns = {name: figures[name][at].tolist() for name in FIGURES}
    return [
        {name: None if v != v else v for name, v in zip(FIGURES, values, strict=True)}
        for values in zip(*columns.values(), strict=True)
    ]


def _check(got: scoring.Scores, want: list[dict[str, Any]]) -> None:
    total = np.array([np.nan if w["total"] is None else w["total"] for w in want])
    assert np.array_equal(np.isnan(got.total), np.isnan(total)), "engine and reference disagree on who is X"
    differ = np.nanmax(np.abs(got.total - total))
    assert differ <= 1e-6, f"totals differ from the reference by up to {differ}"
    assert got.grade.tolist() == [w["grade"] for w in want], "grades differ from the reference"
    assert got.rank.tolist() == [w["rank"] for w in want], "ranks differ from the reference"


def run() -> dict[str, Any]:
    rng = np.random.default_rng(SEED)
    method = _method()
    figures = _figures(rng, ROWS)
    adjust, veto = _adjustments(rng, ROWS)
    bench = scoring.benchmarks(method, None)

    engine, scores = measure(lambda: scoring.score(method, figures, bench, adjust, veto), warm_up=True)
    graded = scores.grade != "X"
    assert graded.sum() > 0.9 * ROWS and (scores.grade[veto & graded] == "D").all()

    # The reference on every row, not a sample: it is linear now, so the same work is timed.
    rows = _rows(figures, np.arange(ROWS))
    adjust_list, veto_list, bench_list = adjust.tolist(), veto.tolist(), bench.tolist()
    timed, want = measure(
        lambda: reference.evaluate(method, rows, bench_list, adjust_list, veto_list), warm_up=True
    )
    _check(scores, want)
    totals = scores.total[~np.isnan(scores.total)]
    assert np.unique(totals).size < totals.size, "the rows should hold exact ties"

    return {
        "rows": ROWS,
        **figures_of("", engine),
        "rows_per_second": round(ROWS / engine["median"]),
        **figures_of("reference_", timed, 1),
        "ratio_vs_reference": round(timed["median"] / engine["median"], 1),
        "reference": "row-by-row Python, column statistics once per indicator (linear)",
        "how": "median of three after one untimed warm-up run, both sides",
        "goal_under_0_25s": "yes" if engine["median"] <= 0.25 else "no",
        "stretch_under_0_1s": "yes" if engine["median"] <= 0.1 else "no",
    }
