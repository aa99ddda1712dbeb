"""Running a scheme: read the scope's enterprises as columns, evaluate, store a frozen result set.

Reads go straight to columns (values_list with float casts), because a province holds 200,000
enterprises and building model objects would cost more than the evaluation. Results are written
with plain multi-row INSERTs and the run is audited as one event that carries the input digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import FloatField, Max, Q
from django.db.models.functions import Cast
from django.utils import timezone

from zhaoshang.core import audit, bulk, jobs
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.enterprises.models import FIGURES, Enterprise, EnterpriseQualification, EnterpriseYear
from zhaoshang.evaluation import pipeline, prepare
from zhaoshang.evaluation.method import GRADES, Method, parse
from zhaoshang.evaluation.models import Evaluation, EvaluationResult, Scheme, YearFact
from zhaoshang.evaluation.scoring import BenchmarkMissing
from zhaoshang.org.models import Unit

Progress = Callable[[int, int, str], None]
YEAR_FIGURES = tuple(f for f in FIGURES if f != "land_area_mu")
INLINE_LIMIT = 20_000  # enterprises; larger scopes run in the worker with a progress bar
GONE = (Enterprise.Status.CLOSED, Enterprise.Status.MOVED_OUT)
FOUR = Decimal("0.0001")


class EvaluationProblem(ValueError):
    pass


def _in_scope(unit: Unit) -> Q:
    return Q(town__path__startswith=unit.path) | Q(park__path__startswith=unit.path)


def _floats(rows: list[tuple[Any, ...]], at: int) -> np.ndarray:
    return np.array([np.nan if r[at] is None else r[at] for r in rows], dtype=float)


def load_frame(unit: Unit, year: int, method: Method) -> tuple[prepare.Frame, dict[str, np.ndarray]]:
    """The scope's enterprises with their figures for `year`, and where each sits (town, park)."""
    enterprises = list(
        Enterprise.objects.filter(_in_scope(unit))
        .exclude(status__in=GONE)
        .order_by("pk")
        .values_list(
            "pk",
            "industry_code",
            "industry_section",
            "founded_on",
            "scale_override",
            Cast("land_owned_mu", FloatField()),
            Cast("land_leased_in_mu", FloatField()),
            Cast("land_leased_out_mu", FloatField()),
            "town_id",
            "park_id",
        )
    )
    n = len(enterprises)
    ids = np.array([e[0] for e in enterprises], dtype=np.int64)
    index = {pk: i for i, pk in enumerate(ids.tolist())}
    figures = {f: np.full(n, np.nan) for f in YEAR_FIGURES}
    declared = np.full(n, np.nan)
    has_year = np.zeros(n, bool)
    casted = EnterpriseYear.objects.filter(
        year=year, enterprise__in=Enterprise.objects.filter(_in_scope(unit))
    ).values_list(
        "enterprise_id",
        Cast("land_area_mu", FloatField()),
        *[Cast(f, FloatField()) if f != "employees" else f for f in YEAR_FIGURES],
        "scale_override",
    )
    # Withdrawn years are not read (`EnterpriseYear.objects` holds current rows only).
    rows = [r for r in casted if r[0] in index]
    at = np.array([index[r[0]] for r in rows], dtype=np.int64)
    # 规上 as the statistics bureau decided it: that year's decision first, else the enterprise's.
    scale_override = np.array([e[4] for e in enterprises], dtype="<U5")
    if rows:
        has_year[at] = True
        declared[at] = _floats(rows, 1)
        for k, name in enumerate(YEAR_FIGURES):
            figures[name][at] = _floats(rows, k + 2)
        year_override = np.array([r[-1] for r in rows], dtype="<U5")
        scale_override[at] = np.where(year_override != "", year_override, scale_override[at])
    qualifications: dict[str, np.ndarray] = {}
    wanted = {a.qualification for a in method.adjustments if a.qualification}
    if wanted:
        through = EnterpriseQualification.objects.filter(
            qualification__code__in=wanted, enterprise_id__in=Enterprise.objects.filter(_in_scope(unit))
        )
        for enterprise_id, code in through.values_list("enterprise_id", "qualification__code"):
            if enterprise_id in index:
                qualifications.setdefault(code, np.zeros(n, bool))[index[enterprise_id]] = True
    facts: dict[str, np.ndarray] = {}
    for enterprise_id, kind, count in YearFact.objects.filter(
        year=year, enterprise_id__in=Enterprise.objects.filter(_in_scope(unit))
    ).values_list("enterprise_id", "kind", "count"):
        if enterprise_id in index:
            facts.setdefault(kind, np.zeros(n, np.int64))[index[enterprise_id]] = count
    frame = prepare.Frame(
        ids=ids,
        industry=np.array([e[1] for e in enterprises], dtype="<U4"),
        section=np.array([e[2] for e in enterprises], dtype="<U1"),
        founded_year=np.array([e[3].year if e[3] else np.nan for e in enterprises], dtype=float),
        scale_override=scale_override,
        land_parts={
            "owned": _floats(enterprises, 5),
            "leased_in": _floats(enterprises, 6),
            "leased_out": _floats(enterprises, 7),
            "declared": declared,
        },
        figures=figures,
        has_year=has_year,
        qualifications=qualifications,
        facts=facts,
    )
    places = {
        "town": np.array([e[8] for e in enterprises], dtype=np.int64),
        "park": np.array([e[9] or 0 for e in enterprises], dtype=np.int64),
    }
    return frame, places


def digest(frame: prepare.Frame, definition: Any) -> str:
    """SHA-256 of the inputs: the same figures and method always give the same digest."""
    h = hashlib.sha256()
    h.update(repr(sorted(definition.items()) if isinstance(definition, dict) else definition).encode())
    for array in (frame.ids, frame.founded_year, frame.has_year, *frame.land_parts.values()):
        h.update(np.ascontiguousarray(array).tobytes())
    for name in sorted(frame.figures):
        h.update(name.encode() + np.ascontiguousarray(frame.figures[name]).tobytes())
    for group in (frame.qualifications, frame.facts):
        for name in sorted(group):
            h.update(name.encode() + np.ascontiguousarray(group[name]).tobytes())
    h.update("".join(frame.industry.tolist()).encode() + "".join(frame.scale_override.tolist()).encode())
    return h.hexdigest()


def _number(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 6)


def _numbers(array: np.ndarray) -> list[Any]:
    """Rounded to 6 places, NaN as None: one pass in numpy, not a Python call per value."""
    out = np.round(np.asarray(array, dtype=float), 6).astype(object)
    out[np.isnan(np.asarray(array, dtype=float))] = None
    return out.tolist()


def _decimals(array: np.ndarray) -> list[str | None]:
    """The 4-place decimal text each value is stored as (exact in SQLite and PostgreSQL), NaN as None."""
    array = np.asarray(array, dtype=float)
    missing = np.isnan(array).tolist()
    return [None if gone else f"{v:.4f}" for v, gone in zip(array.tolist(), missing, strict=True)]


def _result_rows(
    run: Evaluation, method: Method, result: pipeline.ListResult, places: dict[str, np.ndarray]
) -> list[dict[str, Any]]:
    frame = result.frame
    # The figures the indicators use, plus the bases differentiated treatment charges on.
    used = sorted({*method.figures, "land", "electricity_10k_kwh"})
    figures = np.column_stack([result.land if name == "land" else frame.figures[name] for name in used])
    figure_rows = _numbers(figures)
    values, points = _numbers(result.values), _numbers(result.points)
    imputed = [np.flatnonzero(row).tolist() for row in result.imputed]
    labels = [a.label for a in method.adjustments]
    adjusted = result.adjustment_points.tolist()
    score, land = _decimals(result.total), _decimals(result.land)
    tax, value_added = _decimals(frame.figures["tax"]), _decimals(frame.figures["value_added"])
    grade, reason, industry = result.grade.tolist(), result.reason.tolist(), frame.industry.tolist()
    rank, size = result.rank.tolist(), result.group_size.tolist()
    town, park = places["town"].tolist(), places["park"].tolist()
    dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
    rows = []
    for i, enterprise_id in enumerate(frame.ids.tolist()):
        detail = {
            "figures": dict(zip(used, figure_rows[i], strict=True)),
            "values": values[i],
            "points": points[i],
            "imputed": imputed[i],
            "adjustments": [[labels[k], p] for k, p in enumerate(adjusted[i]) if p],
        }
        rows.append(
            {
                "run_id": run.pk,
                "enterprise_id": enterprise_id,
                "grade": grade[i],
                "score": score[i],
                "rank": rank[i] or None,
                "group_size": size[i] or None,
                "reason": reason[i][:200],
                "industry_code": industry[i],
                "town_id": town[i],
                "park_id": park[i] or None,
                "land_mu": land[i],
                "tax": tax[i],
                "value_added": value_added[i],
                "detail": bulk.Encoded(dumps(detail)),
            }
        )
    return rows


def counts(method: Method, grades: np.ndarray) -> dict[str, Any]:
    found = {g: int((grades == g).sum()) for g in (*GRADES, "T", "X")}
    graded = sum(found[g] for g in GRADES)
    return {
        "listed": int(grades.size),
        "graded": graded,
        "grades": found,
        "shares": {g: round(100 * found[g] / graded, 1) if graded else 0.0 for g in GRADES},
        "nominal": dict(method.grading.shares) if method.grading.kind == "share" else {},
    }


def run_evaluation(
    by: Principal,
    scheme: Scheme,
    *,
    notice_days: int = 7,
    note: str = "",
    progress: Progress | None = None,
) -> Evaluation:
    """Evaluate the scheme's year and store it as a new version in public notice."""
    require_in_scope(by, scheme, Action.CONFIGURE_RULES)
    report = progress or (lambda done, total, message: None)
    method = parse(scheme.definition)
    report(0, 100, "读取企业数据")
    frame, places = load_frame(scheme.unit, scheme.year, method)
    previous = None
    if any(i.benchmark.kind == "previous_average" for i in method.indicators):
        previous, _ = load_frame(scheme.unit, scheme.year - 1, method)
    report(30, 100, "计算得分与分类")
    try:
        result = pipeline.evaluate(method, frame, scheme.year, previous)
    except BenchmarkMissing as exc:
        raise EvaluationProblem(str(exc)) from exc
    if not len(result.frame):
        raise EvaluationProblem(
            f"{scheme.unit.name}没有符合本方案条件的{scheme.get_covers_display()}的 {scheme.year} 年度数据。"
        )
    place = np.searchsorted(frame.ids, result.frame.ids)
    places = {k: v[place] for k, v in places.items()}
    report(45, 100, "保存结果")
    with transaction.atomic():
        latest = (
            Evaluation.objects.select_for_update()
            .filter(unit=scheme.unit, year=scheme.year, covers=scheme.covers)
            .aggregate(v=Max("version"))["v"]
        )
        run = Evaluation.objects.create(
            scheme=scheme,
            unit=scheme.unit,
            year=scheme.year,
            covers=scheme.covers,
            version=(latest or 0) + 1,
            scheme_version=scheme.version,
            method=scheme.definition,
            benchmarks={i.key: _number(b) for i, b in zip(method.indicators, result.benchmarks, strict=True)},
            input_digest=digest(frame, scheme.definition),
            counts=counts(method, result.grade),
            notice_until=timezone.localdate() + dt.timedelta(days=notice_days),
            note=note,
            created_by_id=by.user_id,
        )
        rows = _result_rows(run, method, result, places)
        step = 20_000
        for start in range(0, len(rows), step):
            bulk.insert_values(EvaluationResult, rows[start : start + step])
            report(45 + int(50 * min(start + step, len(rows)) / len(rows)), 100, "保存结果")
        superseded = list(
            Evaluation.objects.filter(
                unit=scheme.unit, year=scheme.year, covers=scheme.covers, status=Evaluation.Status.NOTICE
            )
            .exclude(pk=run.pk)
            .values_list("pk", flat=True)
        )
        Evaluation.objects.filter(pk__in=superseded).update(status=Evaluation.Status.SUPERSEDED)
        audit.record(
            AuditEvent.Action.CREATE,
            run,
            after={
                "scheme": scheme.pk,
                "scheme_version": scheme.version,
                "input_digest": run.input_digest,
                "counts": run.counts,
                "superseded": superseded,
            },
            reason=note,
        )
    report(100, 100, "完成")
    return run


@jobs.job("evaluation.run", label="亩均效益评价")
def _run_job(job: jobs.JobRun) -> dict[str, Any]:
    from zhaoshang.org.principal import principal_for

    scheme = Scheme.objects.get(pk=job.params["scheme"])
    run = run_evaluation(
        principal_for(job.job.created_by),
        scheme,
        notice_days=job.params.get("notice_days", 7),
        note=job.params.get("note", ""),
        progress=job.progress,
    )
    return {"run": run.pk, "notify_title": f"评价完成：{run}", "url": f"/evaluation/runs/{run.pk}/"}
