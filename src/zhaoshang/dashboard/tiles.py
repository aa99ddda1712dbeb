"""The home page's figures at a glance: one selector per tile, each cached for a short while under the
principal's scope (what they see decides what is counted), each bounded to one or two queries.

A tile is plain data (numbers, labels, links), so the cache holds no model instances. Scoping is the
usual `visible_to`: a town's staff count their town, a park's their park, a coordinator the county.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core import cached, numbers
from zhaoshang.core.scoping import Principal
from zhaoshang.evaluation.method import GRADES
from zhaoshang.evaluation.models import Evaluation, EvaluationResult
from zhaoshang.projects import selectors as project_selectors
from zhaoshang.projects.engines.lifecycle import PATH, STAGE_LABELS, Stage
from zhaoshang.projects.models import FundArrival, Project, StageMove

ALERTS_COUNTED = 1000  # like the lists, never count past this
scope_key = cached.scope_key


def _cached(name: str, principal: Principal, today: dt.date, build: Callable[[], Any]) -> Any:
    return cached.for_scope(f"home-tile:{name}", principal, build, today.isoformat())


def _projects_url(**params: Any) -> str:
    return f"{reverse('project-list')}?{urlencode(params)}"


def _change(now: Decimal | int, before: Decimal | int) -> Decimal | None:
    """Growth against last year's same period, in percent; None when last year had none."""
    if not before:
        return None
    return (Decimal(now) - Decimal(before)) * 100 / Decimal(before)


def _change_text(change: Decimal | None) -> str:
    """ "，增长 12.5%" / "，下降 3%" after last year's figure; nothing when last year had none."""
    if change is None:
        return ""
    return f"，{'增长' if change >= 0 else '下降'} {numbers.pct(abs(change))}"


def _a_year_before(today: dt.date) -> dt.date:
    """The same day last year (29 February: the 28th)."""
    return today.replace(year=today.year - 1, day=min(today.day, 28) if today.month == 2 else today.day)


def signed(principal: Principal, today: dt.date) -> dict[str, Any]:
    """Contracts signed this year to date, against the same period last year: count and 万元, one query."""

    def build() -> dict[str, Any]:
        last = _a_year_before(today)
        this_year = Q(signed_on__gte=dt.date(today.year, 1, 1), signed_on__lte=today)
        last_year = Q(signed_on__gte=dt.date(today.year - 1, 1, 1), signed_on__lte=last)
        row = Project.objects.visible_to(principal).aggregate(
            n=Count("pk", filter=this_year),
            amount=Sum("contract_amount", filter=this_year),
            n_last=Count("pk", filter=last_year),
            amount_last=Sum("contract_amount", filter=last_year),
        )
        amount, amount_last = row["amount"] or Decimal(0), row["amount_last"] or Decimal(0)
        return {
            "count": row["n"],
            "amount": amount,
            "count_last": row["n_last"],
            "amount_last": amount_last,
            "change": (change := _change(amount, amount_last)),
            "change_text": _change_text(change),
            "url": _projects_url(signed_year=today.year, sort="-signed_on"),
        }

    return _cached("signed", principal, today, build)


def funds(principal: Principal, today: dt.date) -> dict[str, Any]:
    """Funds in place this year to date against the same period last year (万元), one query."""

    def build() -> dict[str, Any]:
        last = _a_year_before(today)
        this_year = Q(on__gte=dt.date(today.year, 1, 1), on__lte=today)
        last_year = Q(on__gte=dt.date(today.year - 1, 1, 1), on__lte=last)
        row = FundArrival.objects.visible_to(principal).aggregate(
            now=Sum("amount", filter=this_year), before=Sum("amount", filter=last_year)
        )
        amount, amount_last = row["now"] or Decimal(0), row["before"] or Decimal(0)
        return {
            "amount": amount,
            "amount_last": amount_last,
            "change": (change := _change(amount, amount_last)),
            "change_text": _change_text(change),
            "url": f"{reverse('project-figures')}?year={today.year}",
        }

    return _cached("funds", principal, today, build)


def stages(principal: Principal, today: dt.date) -> list[dict[str, Any]]:
    """Projects by stage along the path, each linking to the list of that stage, one query."""

    def build() -> list[dict[str, Any]]:
        counts = dict(
            Project.objects.visible_to(principal)
            .order_by()
            .values_list("stage")
            .annotate(n=Count("pk"))
            .values_list("stage", "n")
        )
        return [
            {"label": STAGE_LABELS[s], "count": counts.get(s.value, 0), "url": _projects_url(stage=s.value)}
            for s in [*PATH, Stage.DROPPED]
        ]

    return _cached("stages", principal, today, build)


def moves(principal: Principal, today: dt.date) -> dict[str, Any]:
    """This month's stage moves: how many reached each stage, and the latest few; two queries."""

    def build() -> dict[str, Any]:
        month = StageMove.objects.visible_to(principal).filter(on__gte=today.replace(day=1), on__lte=today)
        counts = dict(
            month.order_by().values_list("target").annotate(n=Count("pk")).values_list("target", "n")
        )
        latest = month.select_related("project").order_by("-on", "-pk")[:5]
        return {
            "total": sum(counts.values()),
            "by_target": [
                {"label": STAGE_LABELS[s], "count": counts[s.value], "url": _projects_url(stage=s.value)}
                for s in [*PATH, Stage.DROPPED]
                if counts.get(s.value)
            ],
            "latest": [
                {
                    "project": m.project.name,
                    "url": reverse("project-detail", args=[m.project_id]),
                    "on": m.on,
                    "target": STAGE_LABELS[Stage(m.target)],
                }
                for m in latest
            ],
        }

    return _cached("moves", principal, today, build)


def grades(principal: Principal, today: dt.date) -> dict[str, Any] | None:
    """The latest published 亩均 evaluation the principal sees: its enterprises by grade; two queries."""

    def build() -> dict[str, Any] | None:
        run = (
            Evaluation.objects.visible_to(principal)
            .filter(status=Evaluation.Status.PUBLISHED)
            .select_related("unit")
            .order_by("-year", "-published_at", "-pk")
            .first()
        )
        if run is None:
            return None
        counts = dict(
            EvaluationResult.objects.visible_to(principal)
            .filter(run=run)
            .order_by()
            .values_list("grade")
            .annotate(n=Count("pk"))
            .values_list("grade", "n")
        )
        url = reverse("run-detail", args=[run.pk])
        return {
            "title": f"{run.year} 年度 {run.unit.name}（{run.get_covers_display()}）",
            "url": url,
            "grades": [
                {"grade": g, "count": counts.get(g, 0), "url": f"{url}?{urlencode({'grade': g})}"}
                for g in GRADES
            ],
        }

    return _cached("grades", principal, today, build)


def alerts(principal: Principal, today: dt.date) -> dict[str, Any]:
    """How many live projects in scope raise an alert (counted up to ALERTS_COUNTED), one query."""

    def build() -> dict[str, Any]:
        index = project_selectors.tracking_index(principal)
        rows = Project.objects.visible_to(principal).filter(project_selectors.alerting_for(index, today))
        n = rows.order_by().values("pk")[: ALERTS_COUNTED + 1].count()
        return {"count": min(n, ALERTS_COUNTED), "more": n > ALERTS_COUNTED, "url": reverse("project-alerts")}

    return _cached("alerts", principal, today, build)


def home_figures(principal: Principal, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    return {
        "year": today.year,
        "signed": signed(principal, today),
        "funds": funds(principal, today),
        "stages": stages(principal, today),
        "moves": moves(principal, today),
        "grades": grades(principal, today),
        "alerts": alerts(principal, today),
    }
