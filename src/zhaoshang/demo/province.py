"""A province-sized data set for benchmarks: 200,000 enterprises with five years of figures.

Generated in bulk (a few minutes on SQLite) under its own province, 基准省, so it never mixes with
the demo county. Its rows are synthetic and bulk-inserted; one audit event records the generation.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from zhaoshang.core import audit, planner
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.pinyin import initials
from zhaoshang.demo.enterprises import PREFIXES, SECTORS, make_code
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear
from zhaoshang.enterprises.services import refresh_scale
from zhaoshang.org import services as org_services
from zhaoshang.org.models import Unit
from zhaoshang.org.standard import ensure_standard_kinds

PROVINCE = "基准省"
YEARS = tuple(range(2021, 2026))
FOUR = Decimal("0.0001")


def _d(value: float) -> Decimal:
    return Decimal(f"{value:.4f}")


def province_exists() -> bool:
    return Unit.objects.filter(name=PROVINCE, kind__code="province").exists()


def build_province(
    enterprises: int = 200_000,
    counties: int = 100,
    seed: int = 4754,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    rng = random.Random(seed)
    kinds = ensure_standard_kinds()
    with transaction.atomic():
        province = org_services.unit_create(by=SYSTEM, name=PROVINCE, kind=kinds["province"], parent=None)
        towns: list[Unit] = []
        parks: list[Unit] = []
        for c in range(counties // 10 or 1):
            city = org_services.unit_create(
                by=SYSTEM, name=f"基准{c + 1}市", kind=kinds["city"], parent=province
            )
            for k in range(10 if counties >= 10 else counties):
                county = org_services.unit_create(
                    by=SYSTEM, name=f"基准{c + 1}市{k + 1}县", kind=kinds["county"], parent=city
                )
                towns += [
                    org_services.unit_create(
                        by=SYSTEM, name=f"{county.name}{t + 1}镇", kind=kinds["town"], parent=county
                    )
                    for t in range(10)
                ]
                parks.append(
                    org_services.unit_create(
                        by=SYSTEM, name=f"{county.name}开发区", kind=kinds["park"], parent=county
                    )
                )
    names_seen: set[str] = set()
    done = 0
    batch = 10_000
    while done < enterprises:
        size = min(batch, enterprises - done)
        with transaction.atomic():
            rows = []
            for _ in range(size):
                chain, codes, words, energy, power = rng.choice(SECTORS)
                index = rng.randrange(len(towns))
                town = towns[index]
                name = f"{town.name[-4:-1]}{rng.choice(PREFIXES)}{rng.choice(PREFIXES)}{rng.choice(words)}有限公司"
                if name in names_seen:
                    name = name.replace("有限公司", f"{len(names_seen)}号有限公司")
                names_seen.add(name)
                rows.append(
                    Enterprise(
                        uscc=make_code(rng, region=f"99{rng.randint(1000, 9999)}"),
                        name=name,
                        name_initials=initials(name),
                        industry_code=rng.choice(codes),
                        industry_section="C",
                        town=town,
                        park=parks[index // 10] if rng.random() < 0.3 else None,
                        founded_on=dt.date(rng.randint(1995, 2020), rng.randint(1, 12), rng.randint(1, 28)),
                        land_owned_mu=_d(rng.uniform(3, 120)),
                    )
                )
            created = Enterprise.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
            ids = dict(
                Enterprise.objects.filter(uscc__in=[e.uscc for e in created]).values_list("uscc", "pk")
            )
            years = []
            for e in created:
                pk = ids.get(e.uscc)
                if pk is None:
                    continue
                base = rng.lognormvariate(7.0, 1.2)  # 万元: most small, a few large
                for year in YEARS:
                    output = base * (1.08 ** (year - 2021)) * rng.uniform(0.9, 1.1)
                    revenue = output * rng.uniform(0.9, 1.02)
                    years.append(
                        EnterpriseYear(
                            enterprise_id=pk,
                            year=year,
                            output_value=_d(output),
                            value_added=_d(output * rng.uniform(0.2, 0.32)),
                            revenue=_d(revenue),
                            tax=_d(revenue * rng.uniform(0.01, 0.04)),
                            energy_tce=_d(output * rng.uniform(0.02, 0.6)) if rng.random() < 0.9 else None,
                            electricity_10k_kwh=_d(output * rng.uniform(0.02, 0.2)),
                            emission_equivalent=_d(output * rng.uniform(0.0002, 0.006))
                            if rng.random() < 0.85
                            else None,
                            rd_spending=_d(revenue * rng.uniform(0, 0.04)) if rng.random() < 0.5 else None,
                            employees=max(3, int(output / rng.uniform(40, 120))),
                            land_area_mu=_d(max(2.0, output / rng.uniform(150, 700))),
                        )
                    )
            EnterpriseYear.objects.bulk_create(years, batch_size=2000)
        done += size
        if progress:
            progress(done, enterprises)
    refresh_scale()
    audit.record(
        AuditEvent.Action.CREATE,
        province,
        after={"enterprises": enterprises, "years": enterprises * len(YEARS), "seed": seed},
        reason="基准测试数据（批量生成）",
    )
    print(f"基准省：{len(towns)} 个乡镇，{len(parks)} 个园区", file=sys.stderr)
    planner.refresh_statistics()  # a bulk load: the planner's statistics are stale
    return {
        "enterprises": Enterprise.objects.filter(town__path__startswith=province.path).count(),
        "years": enterprises * len(YEARS),
    }
