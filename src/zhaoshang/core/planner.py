"""Statistics for the database's query planner, refreshed after the schema or a bulk load changes.

Without them SQLite picks an index by its shape alone: a list filtered on `stage IN (…)` then reads
every row of those stages and sorts them, where with statistics it walks the ordering's index and
stops after one page (150 ms against 2 ms at 50,000 projects). PostgreSQL keeps its own statistics
(autovacuum); running ANALYZE there after a bulk load only brings that forward.
"""

from __future__ import annotations

from typing import Any

from django.db import connection


def refresh_statistics() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def after_migrate(sender: Any, **kwargs: Any) -> None:
    if sender.name == "zhaoshang.core" and kwargs.get("using", "default") == "default":
        refresh_statistics()
