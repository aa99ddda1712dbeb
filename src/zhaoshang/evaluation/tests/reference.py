"""A deliberately plain, row-by-row evaluation: the yardstick the vectorised engine is held to.

Plain but not wasteful: every column statistic (minimum, maximum, average) is computed once per
indicator, so the reference is linear in the rows (plus the sort for ranks), as a competent engineer
would write it; the benchmark's ratio against it is then a fair one.
"""

from __future__ import annotations

import math
import statistics
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from zhaoshang.evaluation.method import GRADES, Method

ROUNDING = {"half_up": ROUND_HALF_UP, "floor": ROUND_FLOOR, "ceil": ROUND_CEILING}


def value_of(row: dict, numerator: str, denominator: str, scale: float) -> float | None:
    num, den = row.get(numerator), row.get(denominator)
    if num is None or den is None or den <= 0:
        return None
    value = num / den
    return value * scale if scale != 1.0 else value


def evaluate(
    method: Method,
    rows: list[dict],
    benchmarks: list[float],
    adjust: list[float],
    veto: list[bool],
    industry: list[int] | None = None,
) -> list[dict]:
    k = len(method.indicators)
    values = [[value_of(r, i.numerator, i.denominator, i.scale) for i in method.indicators] for r in rows]
    points: list[list[float | None]] = [[None] * k for _ in rows]
    for j, ind in enumerate(method.indicators):
        column = [v[j] for v in values if v[j] is not None]
        low, high = (min(column), max(column)) if column else (0.0, 0.0)
        for n, v in enumerate(values):
            x = v[j]
            if x is None:
                continue
            if method.scoring == "benchmark":
                ratio = x / benchmarks[j]
                if ind.cap is not None:
                    ratio = min(ratio, ind.cap)
                points[n][j] = ind.weight * ratio
            elif high > low:
                points[n][j] = ind.weight * (20 + 80 * (x - low) / (high - low)) / 100
            else:
                points[n][j] = ind.weight
    # A missing indicator counts at the average of the points given for it: computed once per indicator.
    averages = []
    for j in range(k):
        given = [points[m][j] for m in range(len(rows)) if points[m][j] is not None]
        averages.append(statistics.fmean(given) if given else 0.0)
    out = []
    for n, _row in enumerate(rows):
        missing = next(
            (j for j in range(k) if values[n][j] is None and method.indicators[j].missing == "exclude"), -1
        )
        total = 0.0
        for j in range(k):
            p = points[n][j]
            if p is None:
                p = averages[j]
            total = total + p
        out.append({"total": None if missing >= 0 else round(total + adjust[n], 6), "missing": missing})
    # rank within each group: higher score, then higher first indicator, then input order
    groups: dict[int, list[int]] = {}
    for n, o in enumerate(out):
        if o["total"] is not None:
            groups.setdefault(
                industry[n] if industry and method.grading.within == "industry" else 0, []
            ).append(n)
    for members in groups.values():

        def key(n: int) -> tuple:
            first = values[n][0] if values[n][0] is not None else -math.inf
            return (-out[n]["total"], -first, n)

        members.sort(key=key)
        counted = [n for n in members if not veto[n]]
        cuts = []
        running = Decimal(0)
        for _grade, share in method.grading.shares[:-1]:
            running += Decimal(str(share))
            cuts.append(
                int(
                    (Decimal(len(counted)) * running / 100).quantize(
                        Decimal(1), rounding=ROUNDING[method.grading.rounding]
                    )
                )
            )
        for position, n in enumerate(members):
            out[n]["rank"] = position + 1
            out[n]["group_size"] = len(members)
        for place, n in enumerate(counted):
            if method.grading.kind == "share":
                out[n]["grade"] = GRADES[sum(1 for c in cuts if place >= c)]
            else:
                total = out[n]["total"]
                out[n]["grade"] = next(
                    (g for g, line in method.grading.thresholds if total >= line), GRADES[-1]
                )
        for n in members:
            if veto[n]:
                out[n]["grade"] = "D"
    for o in out:
        o.setdefault("grade", "X")
        o.setdefault("rank", 0)
    return out
