"""The demo county's 亩均评价: the two shipped schemes for 2024 and 2025, a few facts that move
scores (accidents, tenants, a project under construction), and the 2024 results published, so
2025 can be run and compared with last year."""

from __future__ import annotations

import random

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.evaluation import runner, services
from zhaoshang.org.models import Unit

YEARS = (2024, 2025)


def build_evaluation(county: Unit, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    firms = list(Enterprise.objects.filter(town__path__startswith=county.path).order_by("pk"))
    above = [e for e in firms if e.above_scale]
    for year in YEARS:
        for enterprise in rng.sample(above, 3):
            services.fact_save(SYSTEM, enterprise, year=year, kind="accident", count=1, note="应急管理局通报")
        for enterprise in rng.sample(firms, 6):
            services.fact_save(
                SYSTEM, enterprise, year=year, kind="tenants", count=rng.randint(1, 4), note="出租厂房"
            )
    services.fact_save(SYSTEM, above[7], year=2025, kind="major_accident", count=1, note="较大安全生产事故")
    services.fact_save(SYSTEM, above[11], year=2025, kind="under_construction", count=1, note="二期技改在建")
    definitions = services.shipped_definitions()
    schemes = {
        (stem, year): services.scheme_create(SYSTEM, name="", year=year, unit=county, definition=definition)
        for year in YEARS
        for stem, definition in definitions.items()
    }
    published = 0
    for stem in definitions:
        run = runner.run_evaluation(SYSTEM, schemes[(stem, 2024)], note="2024 年度评价")
        services.run_publish(SYSTEM, run, early_reason="演示数据：往年结果按已发布导入")
        published += run.counts["listed"]
    return {"schemes": len(schemes), "evaluated": published}
