"""Pages without a full count: the same rows as Django's paginator, the count only up to a cap."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from zhaoshang.core.models import AuditEvent
from zhaoshang.core.pagination import COUNT_CAP, BoundedPage


@given(
    size=st.integers(0, 260),
    per_page=st.integers(1, 60),
    raw=st.one_of(st.integers(-3, 12), st.text(max_size=3)),
)
def test_a_page_holds_what_djangos_paginator_shows(size: int, per_page: int, raw: object) -> None:
    rows = list(range(size))
    page = BoundedPage(rows, raw, per_page)
    # A number past the end shows the last page, as Django does; nonsense, zero or less the first.
    try:
        asked = int(str(raw))
    except ValueError:
        asked = 1
    want = Paginator(rows, per_page).get_page(asked if asked >= 1 else 1)
    assert page.object_list == list(want.object_list)
    assert page.number == want.number
    assert (page.has_next(), page.has_previous()) == (want.has_next(), want.has_previous())
    assert page.total == size and page.pages == want.paginator.num_pages
    assert page.count_text == f"共 {size:,} 条"


def test_beyond_the_cap_the_count_is_a_bound_not_a_number() -> None:
    rows = list(range(COUNT_CAP + 7))
    page = BoundedPage(rows, "3", 50)
    assert page.total is None and page.pages is None
    assert page.count_text == "超过 1,000 条"
    assert page.has_next() and page.object_list == list(range(100, 150))


@pytest.mark.django_db
def test_a_page_of_a_queryset_reads_its_rows_and_at_most_a_capped_count(demo_county: object) -> None:
    rows = AuditEvent.objects.order_by("seq")
    with CaptureQueriesContext(connection) as queries:
        page = BoundedPage(rows, "2", 20)
        assert len(page.object_list) == 20
    assert len(queries) == 1  # the page and one row more, no count
    with CaptureQueriesContext(connection) as queries:
        assert page.count_text.startswith(("共", "超过"))
    assert len(queries) == 1
    assert "LIMIT" in queries[0]["sql"].upper()  # the count itself is bounded
