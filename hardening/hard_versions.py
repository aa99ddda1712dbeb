"""Two-editor races, for real: several editors read the same record, then save at the same instant.

Each round, EDITORS threads (each with its own database connection) read a unit's and a project's
version, wait at a barrier, and save a different value over the version they read. Exactly one save
per record and round may go through; every other is refused as stale (`core.versioning.StaleEdit`);
the stored value is the winner's. A round with two winners, or a value nobody saved last, is a lost
update (counted in `failures`).
"""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

NAME = "versions"
ROUNDS = 40
EDITORS = 4


def _records() -> tuple[Any, Any]:
    from zhaoshang.core.permissions import SYSTEM
    from zhaoshang.org import services as org_services
    from zhaoshang.org.models import UnitKind
    from zhaoshang.projects import services as project_services

    def kind(code: str, name: str, jurisdiction: bool = False) -> UnitKind:
        found, _ = UnitKind.objects.get_or_create(
            code=code, defaults={"name": name, "is_jurisdiction": jurisdiction}
        )
        return found

    county = org_services.unit_create(
        by=SYSTEM, name="竞态测试县", kind=kind("county", "县", True), parent=None
    )
    town = org_services.unit_create(
        by=SYSTEM, name="竞态测试镇", kind=kind("town", "乡镇/街道"), parent=county
    )
    project = project_services.project_create(
        SYSTEM,
        name="竞态测试项目",
        investor_name="某公司",
        channel="team",
        town=town,
        lead_unit=town,
        planned_investment=Decimal("100"),
    )
    return town, project


def _editor(i: int, label: str, save: Any, read: Any, barrier: threading.Barrier, outcomes: list) -> None:
    from django.db import connection

    from zhaoshang.core.versioning import StaleEdit

    value = f"{label}-{i}"
    try:
        version = read()
        barrier.wait(timeout=30)
        save(version, value)
        outcome = "saved"
    except StaleEdit:
        outcome = "stale"
    except Exception:  # noqa: BLE001 - a database error is a figure of the run, not a crash
        outcome = "errors"
    finally:
        connection.close()
    outcomes.append((outcome, value))  # list.append is atomic


def _race(save: Any, read: Any, label: str) -> dict[str, int]:
    tally = {"saved": 0, "stale": 0, "errors": 0, "lost": 0}
    for round_no in range(ROUNDS):
        barrier = threading.Barrier(EDITORS)
        outcomes: list[tuple[str, str]] = []
        threads = [
            threading.Thread(target=_editor, args=(i, f"{label}{round_no}", save, read, barrier, outcomes))
            for i in range(EDITORS)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [value for outcome, value in outcomes if outcome == "saved"]
        for outcome, _value in outcomes:
            tally[outcome] += 1
        # No winner (every save failed on the database) loses nothing; two winners, or another value, do.
        if len(winners) > 1 or (winners and read(value=True) != winners[0]):
            tally["lost"] += 1
    return tally


def run() -> dict[str, float | int | str]:
    from zhaoshang.core.permissions import SYSTEM
    from zhaoshang.org import services as org_services
    from zhaoshang.org.models import Unit
    from zhaoshang.projects import services as project_services
    from zhaoshang.projects.models import Project

    town, project = _records()

    def unit_read(value: bool = False) -> Any:
        row = Unit.objects.get(pk=town.pk)
        return row.address if value else row.version

    def unit_save(version: int, value: str) -> None:
        unit = Unit.objects.get(pk=town.pk)
        org_services.unit_update_profile(by=SYSTEM, unit=unit, data={"address": value}, version=version)

    def project_read(value: bool = False) -> Any:
        row = Project.objects.get(pk=project.pk)
        return row.investor_origin if value else row.version

    def project_save(version: int, value: str) -> None:
        project_services.project_update(
            SYSTEM, Project.objects.get(pk=project.pk), version=version, investor_origin=value
        )

    unit = _race(unit_save, unit_read, "单位")
    proj = _race(project_save, project_read, "项目")
    lost = unit["lost"] + proj["lost"]
    return {
        "rounds": 2 * ROUNDS,
        "editors_per_round": EDITORS,
        "saved": unit["saved"] + proj["saved"],
        "refused_stale": unit["stale"] + proj["stale"],
        "database_errors": unit["errors"] + proj["errors"],
        "lost_updates": lost,
        "failures": lost,
    }
