"""From an enterprise list to the engine's inputs: who is in the list, who is not rated, the land
denominator, and bonus and deduction points. Pure NumPy over a column `Frame`; no Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from zhaoshang.evaluation.method import FACT_LABELS, Method

ABOVE_SCALE_REVENUE = 2000.0  # 万元 of main-business revenue (国家统计局 规模以上工业)


@dataclass
class Frame:
    """One scope's enterprises for one year, as columns. NaN marks a missing figure."""

    ids: np.ndarray  # int64
    industry: np.ndarray  # "<U4" GB/T 4754 class codes
    section: np.ndarray  # "<U1"
    founded_year: np.ndarray  # float, NaN when unknown
    scale_override: np.ndarray  # "<U5": "above", "below" or ""
    land_parts: Mapping[str, np.ndarray]  # owned, leased_in, leased_out, declared (the year's own)
    figures: Mapping[str, np.ndarray]  # the year's figures by name (no "land")
    has_year: np.ndarray  # bool: the enterprise reported figures for the year
    qualifications: Mapping[str, np.ndarray] = field(default_factory=dict)  # code -> bool
    facts: Mapping[str, np.ndarray] = field(default_factory=dict)  # fact -> count

    def __len__(self) -> int:
        return int(self.ids.size)

    def fact(self, key: str) -> np.ndarray:
        return self.facts.get(key, np.zeros(len(self), np.int64))

    def take(self, rows: np.ndarray) -> Frame:
        return Frame(
            ids=self.ids[rows],
            industry=self.industry[rows],
            section=self.section[rows],
            founded_year=self.founded_year[rows],
            scale_override=self.scale_override[rows],
            land_parts={k: v[rows] for k, v in self.land_parts.items()},
            figures={k: v[rows] for k, v in self.figures.items()},
            has_year=self.has_year[rows],
            qualifications={k: v[rows] for k, v in self.qualifications.items()},
            facts={k: v[rows] for k, v in self.facts.items()},
        )


def land(method: Method, frame: Frame) -> np.ndarray:
    """The denominator in 亩: the scheme's coefficients over the land parts; NaN when none is known."""
    total = np.zeros(len(frame))
    known = np.zeros(len(frame), bool)
    for part, coefficient in method.land:
        values = frame.land_parts[part]
        present = ~np.isnan(values)
        total += np.where(present, values * coefficient, 0.0)
        known |= present
    return np.where(known, total, np.nan)


def above_scale(frame: Frame) -> np.ndarray:
    """规上 in that year: the statistics bureau's decision if recorded, else that year's revenue."""
    revenue = frame.figures["revenue"]
    by_revenue = ~np.isnan(revenue) & (revenue >= ABOVE_SCALE_REVENUE)
    return np.where(frame.scale_override == "", by_revenue, frame.scale_override == "above")


@dataclass
class Membership:
    listed: np.ndarray  # bool: belongs in this scheme's list
    not_rated: np.ndarray  # bool: listed but exempt (grade T)
    reason: np.ndarray  # object: why not rated, "" otherwise


def membership(method: Method, frame: Frame, year: int, land_mu: np.ndarray) -> Membership:
    scope = method.scope
    industrial = np.isin(frame.section, list(scope.sections)) & frame.has_year
    above = above_scale(frame)
    if method.covers == "above":
        listed = industrial & above
    elif method.covers == "below":
        listed = industrial & ~above & (np.nan_to_num(land_mu, nan=0.0) >= scope.min_land_below)
    else:
        listed = industrial & (above | (np.nan_to_num(land_mu, nan=0.0) >= scope.min_land_below))
    reason = np.full(len(frame), "", dtype=object)
    exempt_industry = np.zeros(len(frame), bool)
    for prefix in scope.exempt_industries:
        exempt_industry |= np.char.startswith(frame.industry.astype(str), prefix)
    reason[exempt_industry] = "公用事业（水电气热）不参评"
    if scope.exempt_years_in_production:
        young = frame.founded_year > year - scope.exempt_years_in_production
        reason[young & (reason == "")] = f"投产不满 {scope.exempt_years_in_production} 年，不参评"
    for fact in scope.exempt_facts:
        hit = (frame.fact(fact) > 0) & (reason == "")
        reason[hit] = f"{FACT_LABELS.get(fact, fact).split('（')[0]}，不参评"
    not_rated = listed & (reason != "")
    reason[~listed] = ""
    return Membership(listed, not_rated, reason)


@dataclass
class Adjustments:
    points: np.ndarray  # (n, items) points per bonus/deduction item
    total: np.ndarray  # (n,)
    veto: np.ndarray  # (n,) bool


def adjustments(method: Method, frame: Frame) -> Adjustments:
    n = len(frame)
    items = method.adjustments
    points = np.zeros((n, len(items)))
    veto = np.zeros(n, bool)
    for j, item in enumerate(items):
        if item.qualification:
            held = frame.qualifications.get(item.qualification, np.zeros(n, bool))
            points[:, j] = np.where(held, item.points, 0.0)
            continue
        count = np.maximum(frame.fact(item.fact) - item.free, 0)
        if item.limit is not None:
            count = np.minimum(count, item.limit)
        if item.veto:
            veto |= count > 0
        points[:, j] = count * item.points
    total = np.zeros(n)
    for j in range(len(items)):
        total = total + points[:, j]
    return Adjustments(points, total, veto)


def engine_figures(frame: Frame, land_mu: np.ndarray) -> dict[str, np.ndarray]:
    return {**frame.figures, "land": land_mu}


def industry_groups(frame: Frame) -> np.ndarray:
    """GB/T 4754 大类 (the first two digits) as integers, for grading within industry."""
    two = frame.industry.astype("<U2")
    return np.array([int(c) if c.isdigit() else 0 for c in two.tolist()], dtype=np.int64)
