"""The query planner's statistics are refreshed after a migration and a bulk load."""

from __future__ import annotations

import pytest
from django.db import connection

from zhaoshang.core import planner

pytestmark = pytest.mark.django_db


def test_statistics_describe_the_tables_after_a_refresh(demo_county: object) -> None:
    planner.refresh_statistics()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            tables = {row[0] for row in cursor.fetchall()}
        assert {"projects_project", "enterprises_enterprise", "core_auditevent"} <= tables
