"""List pages run a bounded number of queries, however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.core import audit
from zhaoshang.core.roles import Role
from zhaoshang.org.tests.factories import MembershipFactory, UnitFactory, UnitKindFactory

pytestmark = pytest.mark.django_db


def _count(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(county: object, n: int) -> None:
    kind = UnitKindFactory(code="town")
    for i in range(n):
        unit = UnitFactory(name=f"新镇{i}", kind=kind, parent=county.county)  # type: ignore[attr-defined]
        MembershipFactory(unit=unit, role=Role.UNIT_STAFF)
        audit.record("update", unit, after={"phone": str(i)})


@pytest.mark.parametrize(
    "url", ["/org/units/", "/org/users/", "/audit/", "/api/org/units", "/api/org/users", "/"]
)
def test_list_pages_do_not_grow_with_rows(client: object, county: object, url: str) -> None:
    reader = county.auditor if url == "/audit/" else county.admin  # type: ignore[attr-defined]
    client.force_login(reader)  # type: ignore[attr-defined]
    _grow(county, 55)  # more than one page of each list, so both sides read the capped count
    small = _count(client, url)
    _grow(county, 30)
    large = _count(client, url)
    # Expected per page: session, user, memberships (principal), unread count, capped count, rows, prefetches.
    assert large == small
    assert large <= 14
