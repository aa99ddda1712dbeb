"""The evaluation engine: figures in, scores, ranks and grades out. Pure NumPy, no Django.

One call scores one list (规上 or 规下) of one year. Each indicator's points are kept, so a score can
be explained line by line. Rules that are choices (how to score, what to do with a missing figure,
how to draw the grades) come from the `Method`; the ones fixed here are:

- an indicator value is numerator ÷ denominator × scale, missing when either figure is missing or
  the denominator is not positive;
- the total is the indicator points summed in scheme order plus bonus and deduction points, rounded
  to 6 decimals so that ranking does not hang on floating-point noise;
- ranks break ties on the first indicator's value, then on input order, so every rank is distinct
  and rank-share grading hits its counts exactly;
- a vetoed enterprise is D and takes no place when the shares are counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from zhaoshang.evaluation.method import CANNOT_EVALUATE, GRADES, Indicator, Method

ROUND_TO = 6


class BenchmarkMissing(ValueError):
    pass


@dataclass
class Scores:
    values: np.ndarray  # (n, k) indicator values; NaN = missing
    benchmarks: np.ndarray  # (k,) benchmark per indicator (NaN under min–max)
    points: np.ndarray  # (n, k) points per indicator, imputed ones included
    imputed: np.ndarray  # (n, k) True where the points are the average given for a missing figure
    total: np.ndarray  # (n,) NaN when the enterprise cannot be evaluated
    missing: np.ndarray  # (n,) index of the first missing indicator that excludes it, or -1
    rank: np.ndarray  # (n,) 1-based rank within its ranking group; 0 when not ranked
    group_size: np.ndarray  # (n,) how many were ranked in that group
    grade: np.ndarray  # (n,) "A".."D" or "X" (cannot be evaluated)


def _ratio(num: np.ndarray, den: np.ndarray, scale: float) -> np.ndarray:
    ok = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=ok)
    if scale != 1.0:
        out *= scale
    return out


def indicator_values(method: Method, figures: Mapping[str, np.ndarray]) -> np.ndarray:
    columns = [
        _ratio(np.asarray(figures[i.numerator], float), np.asarray(figures[i.denominator], float), i.scale)
        for i in method.indicators
    ]
    if not columns:
        return np.empty((0, 0))
    # Column-major: every step below works on one indicator's column, which is then contiguous.
    values = np.empty((columns[0].size, len(columns)), order="F")
    for j, column in enumerate(columns):
        values[:, j] = column
    return values


def _aggregate_ratio(indicator: Indicator, figures: Mapping[str, np.ndarray]) -> float:
    """The scope's average as published: total numerator ÷ total denominator over firms with both."""
    num = np.asarray(figures[indicator.numerator], float)
    den = np.asarray(figures[indicator.denominator], float)
    ok = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
    if not ok.any():
        return float("nan")
    return float(num[ok].sum() / den[ok].sum() * indicator.scale)


def benchmarks(method: Method, previous: Mapping[str, np.ndarray] | None) -> np.ndarray:
    """Each indicator's benchmark: the published constant, or a multiple of last year's average."""
    out = np.full(len(method.indicators), np.nan)
    if method.scoring == "minmax":
        return out
    for j, indicator in enumerate(method.indicators):
        b = indicator.benchmark
        if b.kind == "constant":
            out[j] = float(b.value or 0)
            continue
        average = _aggregate_ratio(indicator, previous) if previous is not None else float("nan")
        if not np.isfinite(average) or average <= 0:
            raise BenchmarkMissing(
                f"指标“{indicator.label}”以上年度平均值为基准，但上年度没有可用的数据，"
                "请先录入上年度指标，或改用公布的基准值。"
            )
        out[j] = average * b.multiple
    return out


def _points(method: Method, values: np.ndarray, bench: np.ndarray) -> np.ndarray:
    points = np.full(values.shape, np.nan, order="F")
    for j, indicator in enumerate(method.indicators):
        x = values[:, j]
        if method.scoring == "benchmark":
            ratio = x / bench[j]
            if indicator.cap is not None:
                ratio = np.minimum(ratio, indicator.cap)
            points[:, j] = indicator.weight * ratio
        else:
            present = x[~np.isnan(x)]
            if present.size == 0:
                continue
            lo, hi = present.min(), present.max()
            if hi > lo:
                points[:, j] = indicator.weight * (20 + 80 * (x - lo) / (hi - lo)) / 100
            else:  # everyone equal: nobody is behind anybody
                points[:, j] = np.where(np.isnan(x), np.nan, indicator.weight)
    return points


def _ranking_order(total: np.ndarray, tie: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Group, then score (high first), then tie value (high first), then input order.

    Across groups, lexsort (stable) does it all. Within one group (a county's ranking) one unstable
    sort of the totals does the work, the fastest NumPy has; only the rows in runs of equal totals
    (a few percent) are sorted again, by tie value and then by their input position.
    """
    if group.size and (group != group[0]).any():
        return np.lexsort((-tie, -total, group))  # lexsort's last key sorts first
    order = np.argsort(-total)
    ordered = total[order]
    equal = np.flatnonzero(ordered[1:] == ordered[:-1])
    if equal.size:
        tied = np.zeros(ordered.size, bool)
        tied[equal] = tied[equal + 1] = True
        at = np.flatnonzero(tied)
        # a new run where the total changes or the tied positions are not adjacent
        run = np.cumsum(np.r_[True, (ordered[at][1:] != ordered[at][:-1]) | (np.diff(at) > 1)])
        rows = order[at]
        order[at] = rows[np.lexsort((rows, -tie[rows], run))]
    return order


def _cuts(n: np.ndarray, cumulative: np.ndarray, rounding: str) -> np.ndarray:
    exact = n[:, None] * cumulative[None, :] / 100.0
    if rounding == "floor":
        return np.floor(exact)
    if rounding == "ceil":
        return np.ceil(exact)
    return np.floor(exact + 0.5)


def score(
    method: Method,
    figures: Mapping[str, np.ndarray],
    bench: np.ndarray,
    adjust: np.ndarray | None = None,
    veto: np.ndarray | None = None,
    industry: np.ndarray | None = None,
) -> Scores:
    """Score and grade one list. `figures` maps each figure (and "land") to a float array."""
    values = indicator_values(method, figures)
    n, k = values.shape
    adjust = np.zeros(n) if adjust is None else np.asarray(adjust, float)
    veto = np.zeros(n, bool) if veto is None else np.asarray(veto, bool)
    points = _points(method, values, bench)
    imputed = np.zeros((n, k), bool, order="F")
    missing = np.full(n, -1)
    for j in range(k - 1, -1, -1):  # backwards, so the first missing indicator is the one named
        absent = np.isnan(values[:, j])
        if method.indicators[j].missing == "average":
            given = points[~absent, j]
            points[absent, j] = given.mean() if given.size else 0.0
            imputed[:, j] = absent
        else:
            missing[absent] = j
    total = np.zeros(n)
    for j in range(k):  # in scheme order, the same order a person adds them up
        total = total + points[:, j]
    total = np.round(total + adjust, ROUND_TO)
    total[missing >= 0] = np.nan

    evaluated = ~np.isnan(total)
    group = np.zeros(n, np.int64) if method.grading.within == "scope" or industry is None else industry
    tie = np.nan_to_num(values[:, 0], nan=-np.inf) if k else np.zeros(n)
    rank = np.zeros(n, np.int64)
    group_size = np.zeros(n, np.int64)
    grade = np.full(n, CANNOT_EVALUATE, dtype="<U1")
    rows = np.flatnonzero(evaluated)
    if rows.size:
        order = rows[_ranking_order(total[rows], tie[rows], group[rows])]
        g = group[order]
        single = g[0] == g[-1]  # sorted by group first: one group (a county's ranking) or several
        if single:  # the same as below with one group, without gathering by group
            starts, member = np.zeros(1, np.int64), None
            rank[order] = np.arange(1, order.size + 1)
            group_size[rows] = order.size
        else:
            starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
            sizes = np.diff(np.r_[starts, g.size])
            member = np.repeat(np.arange(starts.size), sizes)
            rank[order] = np.arange(g.size) - starts[member] + 1
            group_size[order] = sizes[member]
        counted = (~veto[order]).astype(np.int64)
        before = np.cumsum(counted) - counted
        place = before if member is None else before - before[starts][member]  # among the non-vetoed
        grading = method.grading
        if grading.kind == "share":
            cumulative = np.cumsum([share for _, share in grading.shares])[:-1]
            # cut-offs once per ranking group, then each row compares its place with its group's
            counted_per_group = np.add.reduceat(counted, starts).astype(float)
            cuts = _cuts(counted_per_group, cumulative, grading.rounding)
            level = np.zeros(g.size, np.int64)
            for j in range(cuts.shape[1]):
                level += place >= (cuts[0, j] if member is None else cuts[member, j])
        else:
            lines = np.array([t for _, t in grading.thresholds])
            level = (total[order][:, None] < lines[None, :]).sum(axis=1)
        level[veto[order]] = len(GRADES) - 1
        grade[order] = np.array(GRADES)[level]
    return Scores(values, bench, points, imputed, total, missing, rank, group_size, grade)
