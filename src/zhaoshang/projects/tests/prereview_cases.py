"""What the pre-review tests share: the shipped rules and the hand-worked project."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import settings

from zhaoshang.projects.engines import prereview
from zhaoshang.projects.engines.prereview import Outcome, Project, parse

SHIPPED: dict[str, Any] = json.loads(
    (Path(prereview.__file__).parent.parent / "rules" / "review.json").read_text("utf-8")
)
RULES = parse(SHIPPED)
FAST = settings(max_examples=200, deadline=None)

# A 25 亩 mould-making line (GB/T 4754 C3525, one of the county's key industries).
WORKED = Project(
    name="精密模具生产线项目",
    description="年产注塑模具 800 套",
    industry_code="C3525",
    land_mu=Decimal(25),
    investment=Decimal(15000),  # 万元 planned
    promised_tax=Decimal(2500),  # 万元 a year
    promised_output=Decimal(20000),  # 万元 a year
    floor_area_ratio=Decimal("0.8"),
    energy_tce=Decimal(2000),  # 吨标准煤 a year
)


def verdicts_of(outcome: Outcome) -> dict[str, prereview.Verdict]:
    return {v.key: v for v in outcome.verdicts}


def points_of(outcome: Outcome) -> dict[str, Decimal]:
    return {line.key: line.points for line in outcome.score_lines}
