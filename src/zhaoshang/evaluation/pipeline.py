"""One list's whole evaluation, pure: membership, land, adjustments, benchmarks, the engine."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhaoshang.evaluation import prepare, scoring
from zhaoshang.evaluation.method import NOT_RATED, Method


@dataclass
class ListResult:
    """Row i describes the enterprise `frame.ids[i]`; every row is in the list."""

    frame: prepare.Frame
    land: np.ndarray
    reason: np.ndarray  # why not rated or not evaluated; "" otherwise
    grade: np.ndarray
    total: np.ndarray
    rank: np.ndarray
    group_size: np.ndarray
    values: np.ndarray
    points: np.ndarray
    imputed: np.ndarray
    adjustment_points: np.ndarray
    veto: np.ndarray
    benchmarks: np.ndarray


def previous_rated(method: Method, previous: prepare.Frame | None, year: int) -> dict[str, np.ndarray] | None:
    """Last year's figures of the firms that would have been rated then, for average benchmarks."""
    if previous is None or len(previous) == 0:
        return None
    land = prepare.land(method, previous)
    member = prepare.membership(method, previous, year - 1, land)
    rows = np.flatnonzero(member.listed & ~member.not_rated)
    return {k: v[rows] for k, v in prepare.engine_figures(previous, land).items()}


def evaluate(method: Method, frame: prepare.Frame, year: int, previous: prepare.Frame | None) -> ListResult:
    bench = scoring.benchmarks(method, previous_rated(method, previous, year))
    land_all = prepare.land(method, frame)
    member = prepare.membership(method, frame, year, land_all)
    listed = np.flatnonzero(member.listed)
    frame = frame.take(listed)
    land = land_all[listed]
    not_rated = member.not_rated[listed]
    reason = member.reason[listed]
    adjust = prepare.adjustments(method, frame)
    n, k = len(frame), len(method.indicators)
    grade = np.full(n, NOT_RATED, dtype="<U1")
    total = np.full(n, np.nan)
    rank = np.zeros(n, np.int64)
    group_size = np.zeros(n, np.int64)
    values = np.full((n, k), np.nan)
    points = np.full((n, k), np.nan)
    imputed = np.zeros((n, k), bool)
    rated = np.flatnonzero(~not_rated)
    if rated.size:
        sub = frame.take(rated)
        scores = scoring.score(
            method,
            prepare.engine_figures(sub, land[rated]),
            bench,
            adjust.total[rated],
            adjust.veto[rated],
            prepare.industry_groups(sub) if method.grading.within == "industry" else None,
        )
        grade[rated] = scores.grade
        total[rated] = scores.total
        rank[rated] = scores.rank
        group_size[rated] = scores.group_size
        values[rated] = scores.values
        points[rated] = scores.points
        imputed[rated] = scores.imputed
        for j, indicator in enumerate(method.indicators):
            reason[rated[scores.missing == j]] = f"缺少数据：{indicator.label}"
        reason[rated[(scores.missing < 0) & adjust.veto[rated]]] = "一票否决：" + "、".join(
            a.label.replace("（一票否决）", "") for a in method.adjustments if a.veto
        )
    return ListResult(
        frame,
        land,
        reason,
        grade,
        total,
        rank,
        group_size,
        values,
        points,
        imputed,
        adjust.points,
        adjust.veto,
        bench,
    )
