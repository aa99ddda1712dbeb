"""What a draft scheme would change, shown before it is saved: the scheme's year evaluated on today's
figures under the scheme as saved and under the draft, the grade counts of each and how many
enterprises change grade; beside them the counts of the last run made with the scheme."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from zhaoshang.evaluation import pipeline, runner
from zhaoshang.evaluation.method import GRADE_LABELS, Method, MethodError, parse
from zhaoshang.evaluation.models import Evaluation, Scheme
from zhaoshang.evaluation.scoring import BenchmarkMissing

SHOWN = ("A", "B", "C", "D", "T", "X")


@dataclass(frozen=True)
class Regrade:
    now: dict[str, int]  # grade → enterprises under the scheme as saved (today's figures)
    then: dict[str, int]  # the same under the draft
    changed: int  # enterprises whose grade differs (joining or leaving the list included)
    last_run: Evaluation | None

    @property
    def lines(self) -> list[tuple[str, str, int, int, int | None]]:
        """(grade, its label, now, under the draft, in the last run) for the page."""
        last = (self.last_run.counts or {}).get("grades", {}) if self.last_run else {}
        return [(g, GRADE_LABELS[g], self.now.get(g, 0), self.then.get(g, 0), last.get(g)) for g in SHOWN]


def _grades(scheme: Scheme, method: Method) -> dict[int, str]:
    frame, _ = runner.load_frame(scheme.unit, scheme.year, method)
    previous = None
    if any(i.benchmark.kind == "previous_average" for i in method.indicators):
        previous, _ = runner.load_frame(scheme.unit, scheme.year - 1, method)
    result = pipeline.evaluate(method, frame, scheme.year, previous)
    return dict(zip(result.frame.ids.tolist(), result.grade.tolist(), strict=True))


def _counts(grades: dict[int, str]) -> dict[str, int]:
    values = np.array(list(grades.values()), dtype="<U1")
    return {g: int((values == g).sum()) for g in SHOWN}


def regrade(scheme: Scheme, draft: dict[str, Any]) -> Regrade:
    """Raises `runner.EvaluationProblem` (in Chinese) when the draft cannot be evaluated on the data."""
    try:
        now = _grades(scheme, parse(scheme.definition))
    except (MethodError, BenchmarkMissing):
        now = {}  # the saved scheme cannot be evaluated: everything the draft grades is a change
    try:
        then = _grades(scheme, parse(draft))
    except BenchmarkMissing as exc:
        raise runner.EvaluationProblem(str(exc)) from exc
    changed = sum(now.get(e) != then.get(e) for e in now.keys() | then.keys())
    last = scheme.runs.order_by("-version").first()
    return Regrade(_counts(now), _counts(then), changed, last)
