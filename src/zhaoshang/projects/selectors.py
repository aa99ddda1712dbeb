"""Reads of projects through the scoping mechanism, with what the alerts need in the same query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, DateField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Least, TruncDate
from django.utils import timezone

from zhaoshang.core.scoping import Principal
from zhaoshang.enterprises.models import EnterpriseYear
from zhaoshang.evaluation import selectors as evaluation_selectors
from zhaoshang.org.models import Unit
from zhaoshang.projects import rulebooks
from zhaoshang.projects.engines import cohorts, deadlines, metrics, promises
from zhaoshang.projects.engines.alerts import Alert, Rules, alerts_for, loosest
from zhaoshang.projects.engines.lifecycle import LIVE_STAGES, Stage
from zhaoshang.projects.models import FUND_SOURCES, FUND_USES, FundArrival, Project
from zhaoshang.projects.rulebooks import RuleIndex, tracking_index


def with_alert_dates(rows: QuerySet[Project]) -> QuerySet[Project]:
    """The dates the alerts need: columns of the project itself now (`last_follow_up`, `next_date`)."""
    return rows


def projects(principal: Principal, filters: Any = None) -> QuerySet[Project]:
    """The projects a list with these filters shows: the page's, the exports' and the API's, one way."""
    from zhaoshang.projects.filters import projects_matching

    return projects_matching(principal, filters)


def alerting_condition(rules: Rules, today: dt.date) -> Q:
    """The alert rules of `alerts.py` as one SQL condition, so a list can be filtered to its alerts."""
    stale = today - dt.timedelta(days=rules.stale_days)
    condition = Q(next_date__lt=today) | Q(last_follow_up__lt=stale)
    condition |= Q(last_follow_up__isnull=True, created_at__date__lt=stale)
    for stage, limit in rules.stage_limits.items():
        condition |= Q(stage=stage.value, stage_since__lt=today - dt.timedelta(days=limit))
    return Q(stage__in=[s.value for s in LIVE_STAGES]) & condition


def _following(path: str | None) -> Q:
    """Projects whose rules come from the unit at `path` or below: by their park, else their town."""
    if path is None:
        return Q()
    return Q(park__isnull=False, park__path__startswith=path) | Q(
        park__isnull=True, town__path__startswith=path
    )


def alerting_for(index: RuleIndex, today: dt.date) -> Q:
    """Exactly the projects `alerts()` flags, each under the rulebook it follows (the nearest above
    its park or town, else the shipped rules), as one SQL condition."""
    condition: Q | None = None
    covered: Q | None = None
    for path, rules in index.alert_rule_sets():
        here = _following(path)
        term = here & alerting_condition(rules, today)
        if covered is not None:
            term &= ~covered
        condition = term if condition is None else condition | term
        covered = here if covered is None else covered | here
    assert condition is not None
    return condition


FAR = dt.date(9999, 12, 31)


def attention_since(index: RuleIndex, today: dt.date) -> Least:
    """Since when a project has needed attention: the earliest date behind an alert (the step's due
    date, the last follow-up, the day it entered its stage), under the loosest rules in force; the
    alert list orders by it, longest first. Each part is FAR when it raises no alert."""
    rules = loosest(r for _, r in index.alert_rule_sets())
    stale = today - dt.timedelta(days=rules.stale_days)
    far = Value(FAR, output_field=DateField())
    step = Case(When(next_date__lt=today, then=F("next_date")), default=far, output_field=DateField())
    quiet = Case(
        When(last_follow_up__lt=stale, then=F("last_follow_up")),
        When(last_follow_up__isnull=True, created_at__date__lt=stale, then=TruncDate("created_at")),
        default=far,
        output_field=DateField(),
    )
    limits = [
        When(stage=stage.value, stage_since__lt=today - dt.timedelta(days=limit), then=F("stage_since"))
        for stage, limit in rules.stage_limits.items()
    ]
    stage = Case(*limits, default=far, output_field=DateField()) if limits else far
    return Least(step, quiet, stage, output_field=DateField())


def most_overdue_first(rows: QuerySet[Project], index: RuleIndex, today: dt.date) -> QuerySet[Project]:
    return rows.annotate(attention_since=attention_since(index, today)).order_by("attention_since", "pk")


def alerts(project: Project, today: dt.date | None = None, rules: Rules | None = None) -> list[Alert]:
    """A list passes `rules` from one `tracking_index`; alone, the project's rulebook is read."""
    return alerts_for(
        Stage(project.stage),
        project.stage_since,
        getattr(project, "last_follow_up", None),
        getattr(project, "next_date", None),
        timezone.localtime(project.created_at).date(),
        today or timezone.localdate(),
        rules or rulebooks.tracking_rules(rulebooks.project_unit(project)),
    )


def alerting(
    principal: Principal, *, mine: bool = False, limit: int = 200
) -> list[tuple[Project, list[Alert]]]:
    """Active projects in scope that need attention, most overdue first: one query for `limit` rows."""
    index = tracking_index(principal)
    today = timezone.localdate()
    rows = projects(principal, {"mine": mine}).filter(alerting_for(index, today))
    found = [
        (p, a)
        for p in most_overdue_first(rows, index, today)[:limit]
        if (a := alerts(p, today, rules=index.alert_rules(p)))
    ]
    found.sort(key=lambda pa: -max(x.days for x in pa[1]))  # stable: the query's order among equals
    return found


def project_for_page(principal: Principal, pk: int) -> Project:
    return with_alert_dates(Project.objects.visible_to(principal).for_list()).get_visible_or_404(
        principal, pk=pk
    )  # type: ignore[return-value]


def funding_summary(project: Project, funds: list[FundArrival]) -> dict[str, Any]:
    """Funds in place against the contract, by source and use, and the running total for the chart."""
    total = sum((f.amount for f in funds), Decimal(0))
    by_source = {
        label: sum((f.amount for f in funds if f.source == key), Decimal(0)) for key, label in FUND_SOURCES
    }
    by_use = {label: sum((f.amount for f in funds if f.use == key), Decimal(0)) for key, label in FUND_USES}
    running, points = Decimal(0), []
    for f in funds:
        running += f.amount
        points.append([f.on.isoformat(), float(running)])
    contract = project.contract_amount
    return {
        "total": total,
        "rate": metrics.share(total, contract),
        "by_source": by_source,
        "by_use": by_use,
        "chart": {"points": points, "contract": float(contract) if contract else None},
    }


@dataclass(frozen=True)
class Performance:
    """A signed project's promise, what it achieved and where it falls short."""

    project: dict[str, Any]  # the project's values() row
    promise: promises.Promise
    achieved: promises.Achieved
    shortfalls: list[promises.Shortfall]
    funds_in_year: Decimal
    tax_in_year: Decimal

    @property
    def fulfilling(self) -> bool:
        return self.project["stage"] != Stage.DROPPED.value and not self.shortfalls


PERFORMANCE_FIELDS = (
    "pk",
    "name",
    "stage",
    "signed_on",
    "start_date",
    "production_date",
    "full_output_date",
    "contract_amount",
    "land_area_mu",
    "funds_in_place",
    "promise",
    "enterprise_id",
    "town__name",
    "park__name",
    "lead_unit__name",
    "responsible_leader__display_name",
)


def _funds_total(**condition: Any) -> Subquery:
    arrivals = FundArrival.objects.filter(project=OuterRef("pk"), **condition).order_by()
    return Subquery(arrivals.values("project").annotate(total=Sum("amount")).values("total")[:1])


def performance(principal: Principal, year: int, *, only: int | None = None) -> list[Performance]:
    """Every signed project in scope with its promise kept or not, in three queries whatever the count."""
    today = timezone.localdate()
    rows = Project.objects.visible_to(principal)
    if only is not None:
        rows = rows.filter(pk=only)
    rows = (
        rows.filter(signed_on__isnull=False)
        .annotate(
            fixed_funds=_funds_total(use="fixed_assets"),
            year_funds=_funds_total(on__year=year),
        )
        .order_by("signed_on", "pk")
    )
    values = list(rows.values(*PERFORMANCE_FIELDS, "fixed_funds", "year_funds"))
    enterprises = rows.exclude(enterprise_id=None).values("enterprise_id")
    years: dict[int, dict[int, dict[str, Any]]] = {}
    for y in EnterpriseYear.objects.filter(enterprise_id__in=Subquery(enterprises)).values(
        "enterprise_id", "year", "output_value", "tax"
    ):
        years.setdefault(y["enterprise_id"], {})[y["year"]] = y
    graded: dict[int, dict[int, Decimal | None]] = {}
    for r in evaluation_selectors.published_figures(Subquery(enterprises)):
        graded.setdefault(r["enterprise_id"], {})[r["year"]] = promises.ratio(r["tax"], r["land_mu"])
    out = []
    for v in values:
        figures = years.get(v["enterprise_id"], {})
        produced = v["production_date"].year if v["production_date"] else None
        # Only full years after the project produced say what it achieves.
        after = sorted(y for y in figures if produced is not None and y > produced)
        rated = sorted(y for y in graded.get(v["enterprise_id"], {}) if produced is not None and y > produced)
        achieved = promises.Achieved(
            start=v["start_date"],
            production=v["production_date"],
            full_output=v["full_output_date"],
            intensity=promises.ratio(v["fixed_funds"], v["land_area_mu"]),
            tax_per_mu=graded[v["enterprise_id"]][rated[-1]] if rated else None,
            output=figures[after[-1]]["output_value"] if after else None,
            figures_year=after[-1] if after else (rated[-1] if rated else None),
        )
        promise = promises.Promise.from_json(v["promise"] or {})
        this_year = figures.get(year, {})
        out.append(
            Performance(
                project=v,
                promise=promise,
                achieved=achieved,
                shortfalls=promises.shortfalls(promise, achieved, today),
                funds_in_year=v["year_funds"] or Decimal(0),
                tax_in_year=(this_year.get("tax") or Decimal(0)) if v["production_date"] else Decimal(0),
            )
        )
    return out


UNIT_KEYS = {
    "town": ("town__name", "乡镇"),
    "park": ("park__name", "园区"),
    "lead_unit": ("lead_unit__name", "牵头单位"),
}


def unit_figures(
    principal: Principal, year: int, by: str = "town"
) -> tuple[list[metrics.Figures], metrics.Figures, list[Performance]]:
    field_name = UNIT_KEYS.get(by, UNIT_KEYS["town"])[0]
    found = performance(principal, year)
    rows = [
        metrics.ProjectRow(
            unit=p.project[field_name] or "（未入园区）",
            signed_on=p.project["signed_on"],
            dropped=p.project["stage"] == Stage.DROPPED.value,
            started=p.project["start_date"] is not None,
            producing=p.project["production_date"] is not None,
            fulfilling=p.fulfilling,
            contract_amount=p.project["contract_amount"] or Decimal(0),
            funds_to_date=p.project["funds_in_place"] or Decimal(0),
            funds_in_year=p.funds_in_year,
            land_supplied=p.project["land_area_mu"] or Decimal(0),
            tax_in_year=p.tax_in_year,
        )
        for p in found
    ]
    units, total = metrics.by_unit(rows, year)
    return units, total, found


def _arrivals(rows: list[Project]) -> dict[int, tuple[tuple[dt.date, Any], ...]]:
    """The dated ledger of every project the capital deadline may concern, in one query."""
    ids = [p.pk for p in rows if p.signed_on and p.registered_capital and p.funds_in_place]
    found: dict[int, list[tuple[dt.date, Any]]] = {}
    if ids:
        ledger = FundArrival.objects.filter(project_id__in=ids).values_list("project_id", "on", "amount")
        for project_id, on, amount in ledger:
            found.setdefault(project_id, []).append((on, amount))
    return {pk: tuple(items) for pk, items in found.items()}


def _facts(project: Project, arrivals: tuple[tuple[dt.date, Any], ...]) -> deadlines.ProjectFacts:
    return deadlines.ProjectFacts(
        stage=Stage(project.stage),
        signed_on=project.signed_on,
        start_date=project.start_date,
        moved_in_on=project.moved_in_on,
        promised_start=project.promised_start,
        registered_capital=project.registered_capital,
        funds_in_place=project.funds_in_place,
        arrivals=arrivals,
    )


def deadline_checks(project: Project, today: dt.date | None = None) -> list[deadlines.DeadlineCheck]:
    """The project's post-signing deadlines against its rulebook (for the project page)."""
    rules = rulebooks.resolve(rulebooks.project_unit(project), "tracking").rules()
    ledger = _arrivals([project]).get(project.pk, ())
    return deadlines.check(_facts(project, ledger), rules, today or timezone.localdate())


def deadline_lights(rows: list[Project], index: RuleIndex, today: dt.date | None = None) -> dict[int, str]:
    """The worst light of each listed project: one ledger query for the whole page."""
    today = today or timezone.localdate()
    ledgers = _arrivals(rows)
    return {
        p.pk: deadlines.worst(deadlines.check(_facts(p, ledgers.get(p.pk, ())), index.for_project(p), today))
        for p in rows
    }


def cohort_facts(p: Project) -> cohorts.CohortFacts:
    """What a cohort requirement reads of a signed project."""
    return cohorts.CohortFacts(
        key=p,
        signed_on=p.signed_on,
        stage=Stage(p.stage),
        investor_rank=p.investor_rank,
        start_date=p.start_date,
        production_date=p.production_date,
        full_output_date=p.full_output_date,
    )


def cohort_projects(principal: Principal, unit: Unit) -> QuerySet[Project]:
    """Signed projects in scope under the unit whose cohort rules are read."""
    under = Q(town__path__startswith=unit.path) | Q(park__path__startswith=unit.path)
    return (
        Project.objects.visible_to(principal)
        .for_list()
        .filter(under, signed_on__isnull=False)
        .order_by("signed_on", "pk")
    )
