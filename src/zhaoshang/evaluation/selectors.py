"""Reads of evaluations, always through the scoping mechanism."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404

from zhaoshang.core import audit, industries
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.scoping import Principal
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.evaluation import treatments
from zhaoshang.evaluation.method import GRADES, Method, parse
from zhaoshang.evaluation.models import Evaluation, EvaluationResult, Objection, Scheme

TWO = Decimal("0.01")


def runs(principal: Principal) -> QuerySet[Evaluation]:
    return Evaluation.objects.visible_to(principal).select_related("unit", "scheme")


def schemes(principal: Principal) -> QuerySet[Scheme]:
    return Scheme.objects.visible_to(principal).select_related("unit")


def run_for_page(principal: Principal, pk: int) -> Evaluation:
    return runs(principal).get_visible_or_404(principal, pk=pk)  # type: ignore[return-value]


def results(principal: Principal, run: Evaluation) -> QuerySet[EvaluationResult]:
    """The run's rows the principal may see, in rank order (the list's filters are `filters.RankingFilter`)."""
    return (
        EvaluationResult.objects.visible_to(principal)
        .filter(run=run)
        .select_related("enterprise", "town", "park")
        .order_by(F("rank").asc(nulls_last=True), "grade", "enterprise__name")
    )


def result_for_page(principal: Principal, pk: int) -> EvaluationResult:
    row = (
        EvaluationResult.objects.visible_to(principal)
        .select_related("run", "run__unit", "enterprise", "town", "park")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise Http404
    return row


def previous_run(run: Evaluation) -> Evaluation | None:
    """Last year's published evaluation of the same list and scope, for the year-on-year change."""
    return (
        Evaluation.objects.filter(
            unit=run.unit, covers=run.covers, year=run.year - 1, status=Evaluation.Status.PUBLISHED
        )
        .order_by("-version")
        .first()
    )


@dataclass
class Aggregate:
    key: str
    label: str
    enterprises: int
    land: Decimal
    tax: Decimal
    value_added: Decimal
    grades: dict[str, int]

    @property
    def tax_per_mu(self) -> Decimal | None:
        return (self.tax / self.land).quantize(TWO) if self.land else None

    @property
    def value_added_per_mu(self) -> Decimal | None:
        return (self.value_added / self.land).quantize(TWO) if self.land else None

    @property
    def top_share(self) -> Decimal | None:
        """A 与 B 类企业占参评（A–D 类）企业的百分比，一位小数。"""
        graded = sum(self.grades.values())
        top = self.grades.get("A", 0) + self.grades.get("B", 0)
        return (Decimal(100 * top) / graded).quantize(Decimal("0.1")) if graded else None


def total(rows: list[Aggregate], label: str) -> Aggregate:
    """The whole scope as one row: sums of the groups, so the ratios are of totals, not averages."""
    return Aggregate(
        key="",
        label=label,
        enterprises=sum(a.enterprises for a in rows),
        land=sum((a.land for a in rows), Decimal(0)),
        tax=sum((a.tax for a in rows), Decimal(0)),
        value_added=sum((a.value_added for a in rows), Decimal(0)),
        grades={g: sum(a.grades[g] for a in rows) for g in GRADES},
    )


AGGREGATE_BY = {"park": "按园区", "town": "按乡镇", "industry": "按行业（国民经济行业大类）"}


def _grouped(rows: QuerySet[EvaluationResult], by: str, *also: str) -> tuple[QuerySet[Any], str, str]:
    """The rows grouped by park, town or industry (GB/T 4754 大类), and the key and label columns."""
    if by in ("park", "town"):
        return rows.values(*also, f"{by}_id", f"{by}__name"), f"{by}_id", f"{by}__name"
    return (
        rows.annotate(division=Substr("industry_code", 1, 2)).values(*also, "division"),
        "division",
        "division",
    )


def _totals(rows: QuerySet[Any]) -> QuerySet[Any]:
    """Sums over firms with land and both figures, so every ratio is of totals, and the grade counts."""
    both = Q(tax__isnull=False, value_added__isnull=False)
    return rows.annotate(
        n=Count("pk"),
        tax_sum=Sum("tax", filter=both),
        va_sum=Sum("value_added", filter=both),
        land_with_figures=Sum("land_mu", filter=both),
        **{g: Count("pk", filter=Q(grade=g)) for g in GRADES},
    )


def _aggregate(by: str, row: dict[str, Any], key: str, label: str) -> Aggregate:
    name = row[label]
    if by == "park":
        name = name or "园区外"
    elif by == "industry":
        found = industries.get(row[key] or "")
        name = found.label if found else (row[key] or "—")
    return Aggregate(
        key=str(row[key] or ""),
        label=name or "—",
        enterprises=row["n"],
        land=row["land_with_figures"] or Decimal(0),
        tax=row["tax_sum"] or Decimal(0),
        value_added=row["va_sum"] or Decimal(0),
        grades={g: row[g] for g in GRADES},
    )


def aggregates(principal: Principal, run: Evaluation, by: str) -> list[Aggregate]:
    """亩均税收 and 亩均增加值 by park, town or industry, over firms with land and figures."""
    rows, key, label = _grouped(
        EvaluationResult.objects.visible_to(principal).filter(run=run, land_mu__gt=0), by
    )
    out = [_aggregate(by, row, key, label) for row in _totals(rows).order_by(label)]
    return sorted(out, key=lambda a: (a.tax_per_mu is None, -(a.tax_per_mu or 0)))


def trend_runs(run: Evaluation) -> dict[int, int]:
    """Year -> run of the years a trend covers: the published evaluations of this list and scope,
    and for the run's own year the run being looked at."""
    published = Evaluation.objects.filter(
        unit=run.unit, covers=run.covers, status=Evaluation.Status.PUBLISHED
    ).values_list("year", "pk")
    return {**dict(published), run.year: run.pk}


def trends(
    principal: Principal, run: Evaluation, by: str
) -> tuple[list[int], list[tuple[str, dict[int, Aggregate]]]]:
    """Each park, town or industry year by year over `trend_runs`: the years, then (label, year -> figures).
    One grouped query over every year, whatever the number of years or groups."""
    years = trend_runs(run)
    rows, key, label = _grouped(
        EvaluationResult.objects.visible_to(principal).filter(run_id__in=years.values(), land_mu__gt=0),
        by,
        "run__year",
    )
    groups: dict[str, tuple[str, dict[int, Aggregate]]] = {}
    for row in _totals(rows).order_by(label, "run__year"):
        a = _aggregate(by, row, key, label)
        groups.setdefault(a.key, (a.label, {}))[1][row["run__year"]] = a

    def by_latest_tax(group: tuple[str, dict[int, Aggregate]]) -> tuple[bool, Decimal]:
        latest = group[1].get(run.year)
        value = latest.tax_per_mu if latest else None
        return value is None, -(value or Decimal(0))

    return sorted(years), sorted(groups.values(), key=by_latest_tax)


def history(principal: Principal, enterprise: Enterprise, run: Evaluation) -> list[EvaluationResult]:
    """The enterprise's published results in this scope and list, and the one being looked at."""
    rows = (
        EvaluationResult.objects.visible_to(principal)
        .filter(enterprise=enterprise, run__unit=run.unit, run__covers=run.covers)
        .filter(Q(run__status=Evaluation.Status.PUBLISHED) | Q(run=run))
        .select_related("run")
        .order_by("run__year", "run__version")
    )
    by_year: dict[int, EvaluationResult] = {}
    for row in rows:
        if row.run.year != run.year or row.run_id == run.pk:
            by_year[row.run.year] = row
    return [by_year[y] for y in sorted(by_year)]


def published_grades(run: Evaluation, enterprise_ids: list[int] | None = None) -> dict[int, dict[int, str]]:
    """Earlier published grades by enterprise and year, for consecutive-year rules."""
    rows = EvaluationResult.objects.filter(
        run__unit=run.unit,
        run__covers=run.covers,
        run__year__lt=run.year,
        run__status=Evaluation.Status.PUBLISHED,
    )
    if enterprise_ids is not None:
        rows = rows.filter(enterprise_id__in=enterprise_ids)
    out: dict[int, dict[int, str]] = {}
    for enterprise_id, year, grade in rows.values_list("enterprise_id", "run__year", "grade"):
        out.setdefault(enterprise_id, {})[year] = grade
    return out


def published_figures(enterprises: Any) -> list[dict[str, Any]]:
    """The tax and land of each enterprise in every published 亩均 evaluation, one row per (enterprise, year).

    `enterprises` is a list of ids or a query of them (one query in all). Rows hold `enterprise_id`,
    `year`, `tax` (万元) and `land_mu` (亩), as the published results recorded them.
    """
    rows = EvaluationResult.objects.filter(
        enterprise_id__in=enterprises, run__status=Evaluation.Status.PUBLISHED
    )
    return [
        {"enterprise_id": enterprise_id, "year": year, "tax": tax, "land_mu": land_mu}
        for enterprise_id, year, tax, land_mu in rows.values_list(
            "enterprise_id", "run__year", "tax", "land_mu"
        )
    ]


def latest_published_grades(enterprise_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """(year, grade) of each enterprise's latest published 亩均 evaluation, for many at once (one query)."""
    rows = (
        EvaluationResult.objects.filter(
            enterprise_id__in=sorted(set(enterprise_ids)),
            run__status=Evaluation.Status.PUBLISHED,
            grade__in=GRADES,
        )
        .order_by("enterprise_id", "run__year", "run_id")
        .values_list("enterprise_id", "run__year", "grade")
    )
    return {enterprise: (year, grade) for enterprise, year, grade in rows}  # the latest wins


def method_of(run: Evaluation) -> Method:
    return parse(run.method)


def measures_for(
    run: Evaluation, result: EvaluationResult, grades_before: dict[int, str]
) -> list[treatments.Measure]:
    return treatments.measures(
        method_of(run), run.year, result.grade, grades_before, result.detail.get("figures", {})
    )


def all_measures(principal: Principal, run: Evaluation) -> list[tuple[EvaluationResult, treatments.Measure]]:
    method = method_of(run)
    graded = list(results(principal, run).filter(grade__in=GRADES))
    before = published_grades(run, [r.enterprise_id for r in graded])
    return [
        (r, m)
        for r in graded
        for m in treatments.measures(
            method, run.year, r.grade, before.get(r.enterprise_id, {}), r.detail.get("figures", {})
        )
    ]


def low_efficiency(principal: Principal, run: Evaluation) -> QuerySet[EvaluationResult]:
    """腾笼换鸟: C and D enterprises holding much land, and stopped enterprises (idle land), largest first."""
    method = method_of(run)
    return (
        EvaluationResult.objects.visible_to(principal)
        .filter(run=run, land_mu__gte=Decimal(str(method.low_efficiency_min_land)))
        .filter(Q(grade__in=["C", "D"]) | Q(enterprise__status=Enterprise.Status.STOPPED))
        .select_related("enterprise", "town", "park")
        .order_by("-land_mu")
    )


def open_objections(principal: Principal, run: Evaluation) -> QuerySet[Objection]:
    return (
        Objection.objects.visible_to(principal)
        .filter(result__run=run)
        .select_related("result", "result__enterprise", "filed_by", "resolved_by")
        .order_by("status", "-filed_at")
    )


def publication_blockers(run: Evaluation) -> list[Objection]:
    """Upheld objections this run does not reflect: those upheld on it, and those upheld on an earlier
    version of the same list and scope evaluated on exactly the same inputs (nothing was corrected).
    Not scoped: publication is refused for the whole run, whoever looks."""
    return list(
        Objection.objects.filter(
            status=Objection.Status.UPHELD,
            result__run__unit_id=run.unit_id,
            result__run__year=run.year,
            result__run__covers=run.covers,
            result__run__version__lte=run.version,
            result__run__input_digest=run.input_digest,
        )
        .select_related("result__enterprise", "result__run")
        .order_by("result__enterprise__name", "pk")
    )


def objection_history(objections: list[Objection]) -> QuerySet[AuditEvent]:
    """What happened to a result's objections (filed, resolved, re-opened with the reason), newest first."""
    if not objections:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        target_type__in=audit.labels_of(audit.target_label(objections[0])),
        target_id__in=[str(o.pk) for o in objections],
    ).order_by("-seq")[:50]
