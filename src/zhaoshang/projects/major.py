"""Reads of the 重大项目 tier: which threshold applies to a unit, whether a project is 重大, and the same as
one SQL condition for lists (a column comparison per threshold, no aggregate)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from zhaoshang.core.scoping import ancestors
from zhaoshang.org.models import Unit
from zhaoshang.projects.committee import DEFAULT_MAJOR_INVESTMENT, PRE_WORK_ITEMS, MajorTier, PreWork
from zhaoshang.projects.models import Project


def _nearest(tiers: list[MajorTier], path: str) -> MajorTier | None:
    found = [t for t in tiers if path.startswith(t.unit.path)]
    return max(found, key=lambda t: len(t.unit.path), default=None)


def tier_for(unit: Unit) -> tuple[Decimal, MajorTier | None]:
    """The threshold (万元) for projects of `unit`: its own, else the nearest above it, else the default."""
    tiers = list(MajorTier.objects.filter(unit__path__in=ancestors((unit.path,))).select_related("unit"))
    tier = _nearest(tiers, unit.path)
    return (tier.min_investment if tier else DEFAULT_MAJOR_INVESTMENT), tier


def threshold_of(project: Project) -> Decimal:
    return tier_for(project.park or project.town)[0]


def is_major(project: Project) -> bool:
    return project.planned_investment is not None and project.planned_investment >= threshold_of(project)


def major_condition() -> Q:
    """The projects at or above their unit's threshold: deepest thresholds first, each covering its subtree
    (a project follows its park, else its town, as the rulebooks do)."""
    tiers = sorted(MajorTier.objects.select_related("unit"), key=lambda t: -len(t.unit.path))
    condition = Q(pk__in=[])
    covered = Q(pk__in=[])
    for tier in tiers:
        here = Q(park__isnull=False, park__path__startswith=tier.unit.path) | Q(
            park__isnull=True, town__path__startswith=tier.unit.path
        )
        condition |= here & ~covered & Q(planned_investment__gte=tier.min_investment)
        covered |= here
    return condition | (~covered & Q(planned_investment__gte=DEFAULT_MAJOR_INVESTMENT))


def pre_work(project: Project) -> list[tuple[str, str, PreWork | None]]:
    """The checklist in the speech's order, each item with its record when one was kept."""
    kept = {w.item: w for w in project.pre_work.all()}
    return [(code, label, kept.get(code)) for code, label in PRE_WORK_ITEMS]
