"""The activities' lists, calendar and region view: exports equal to the pages, the same queries for
more rows, a trip on each day it spans, the region figures of a small known set, and every page in
Chinese."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.core.models import AuditEvent
from zhaoshang.core.tests.test_page_walk import _visible_text, leaks
from zhaoshang.org.models import User
from zhaoshang.org.principal import principal_for
from zhaoshang.outreach import services
from zhaoshang.outreach.tests.test_activities import TODAY, _contact, _lead, _links, _sheet, _trip
from zhaoshang.projects.tests.helpers import sign

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-table"}

# --- lists: exports equal to the pages, bounded queries ------------------------------------------


def test_the_lists_exports_equal_their_pages(client: Any, county: Any) -> None:
    _trip(county, "宁波", region="yangtze")
    _trip(
        county,
        "苏州",
        region="yangtze",
        starts_on=TODAY - dt.timedelta(days=40),
        ends_on=TODAY - dt.timedelta(days=39),
    )
    _trip(county, "天津", region="bohai")
    staff = principal_for(county.staff_a)
    for company in ("甲公司", "乙公司"):
        services.visit_create(staff, unit=county.town_a, on=TODAY, company=company, visitors="张某")
    for name, kind in (("推介会甲", "expo"), ("签约仪式乙", "signing")):
        services.event_create(staff, unit=county.town_a, kind=kind, name=name, on=TODAY, place="县城")
    client.force_login(county.staff_a)
    cases = [
        ("/outreach/trips/?region=yangtze&sort=starts_on", "/outreach/trips/", 4, ["苏州", "宁波"]),
        ("/outreach/visits/?q=甲", "/outreach/visits/", 1, ["甲公司"]),
        ("/outreach/events/?kind=signing", "/outreach/events/", 2, ["签约仪式乙"]),
    ]
    for url, prefix, column, expected in cases:
        shown = _links(client.get(url).content.decode(), prefix)
        assert shown == expected, url
        assert _sheet(client.get(f"{url}&format=xlsx"), column) == shown, url
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("seq")
    assert event.after == {"筛选条件": "活动类型：签约仪式"}


def test_the_pages_run_the_same_queries_for_more_rows(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    staff = principal_for(county.staff_a)
    urls = [
        "/outreach/trips/",
        "/outreach/visits/",
        "/outreach/events/",
        f"/outreach/calendar/?month={TODAY:%Y-%m}",
        f"/outreach/regions/?year={TODAY.year}",
    ]

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, **HTMX).status_code == 200
        return len(ctx)

    def grow(n: int) -> None:
        for i in range(n):
            trip = _trip(
                county, f"城市{i}", contacts=[_contact(county, f"商会{i}")], members=[county.staff_a]
            )
            _lead(county, trip, f"项目{i}")
            services.visit_create(staff, unit=county.town_a, on=TODAY, company=f"公司{i}", visitors="张某")
            services.event_create(
                staff, unit=county.town_a, kind="expo", name=f"活动{i}", on=TODAY, place="县城"
            )

    grow(2)
    few = [queries(u) for u in urls]
    grow(15)
    assert [queries(u) for u in urls] == few and max(few) <= 12, few


# --- the calendar and the region view ---------------------------------------------------------------


def test_the_calendar_shows_a_trip_on_each_day_it_spans(client: Any, county: Any) -> None:
    trip = _trip(county, "深圳", region="pearl", starts_on=dt.date(2025, 3, 30), ends_on=dt.date(2025, 4, 2))
    staff = principal_for(county.staff_a)
    visit = services.visit_create(
        staff,
        unit=county.town_a,
        on=dt.date(2025, 3, 12),
        company="某公司",
        visitors="张某",
        leader=county.leader,
    )
    client.force_login(county.leader)
    page = client.get("/outreach/calendar/?month=2025-03").content.decode()
    assert "2025年3月招商活动日历" in page

    def cell(day: str) -> str:
        found = re.search(rf'data-day="{day}">(.*?)</td>', page, re.S)
        assert found, day
        return found.group(1)

    link = f'href="/outreach/trips/{trip.pk}/"'
    for day in ("2025-03-30", "2025-03-31", "2025-04-01", "2025-04-02"):
        assert link in cell(day), day
    for day in ("2025-03-29", "2025-04-03"):
        assert link not in cell(day), day
    assert f'href="/outreach/visits/{visit.pk}/"' in cell("2025-03-12")
    assert "month=2025-02" in page and "month=2025-04" in page
    # By leader: the visit they accompanied, not the trip led by nobody.
    page = client.get(f"/outreach/calendar/?month=2025-03&leader={county.leader.pk}").content.decode()
    assert link not in page and f'href="/outreach/visits/{visit.pk}/"' in page
    assert client.get("/outreach/calendar/?month=2025-13").status_code == 200


def test_the_region_view_adds_up_a_small_known_set(client: Any, county: Any) -> None:
    c1, c2, c3 = (_contact(county, n) for n in ("商会一", "商会二", "商会三"))
    a = _trip(
        county,
        "宁波",
        starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2025, 3, 3),
        cost=Decimal("2.5"),
        contacts=[c1, c2],
    )
    _trip(
        county,
        "苏州",
        starts_on=dt.date(2025, 5, 10),
        ends_on=dt.date(2025, 5, 10),
        cost=Decimal("1.5"),
        contacts=[c2],
    )
    _trip(
        county,
        "天津",
        region="bohai",
        starts_on=dt.date(2025, 6, 1),
        ends_on=dt.date(2025, 6, 4),
        cost=Decimal("3"),
        contacts=[c3],
    )
    _trip(
        county, "上海", starts_on=dt.date(2024, 12, 30), ends_on=dt.date(2025, 1, 2), cost=Decimal("9")
    )  # counts for 2024
    sign(county.coordinator, _lead(county, a, "签约项目"))
    _lead(county, a, "洽谈项目")
    client.force_login(county.coordinator)
    response = client.get("/outreach/regions/?year=2025")
    rows = {r.code: r for r in response.context["rows"]}
    figures = ("trips", "days", "cost", "contacts", "leads", "signed", "contract")
    assert [getattr(rows["yangtze"], f) for f in figures] == [2, 4, Decimal("4"), 2, 2, 1, Decimal("28000")]
    assert [getattr(rows["bohai"], f) for f in figures] == [1, 4, Decimal("3"), 1, 0, 0, Decimal("0")]
    assert rows["pearl"].trips == 0
    total = response.context["total"]
    assert [getattr(total, f) for f in figures] == [3, 8, Decimal("7"), 3, 2, 1, Decimal("28000")]
    page = response.content.decode()
    assert 'class="zs-chart zs-h-260"' in page and 'id="region-data"' in page and "28,000 万元" in page
    assert response.context["chart"]["trips"][:2] == [2, 1]
    assert client.get("/outreach/regions/?year=2024").context["rows"][0].trips == 1


def test_every_activity_page_reads_in_chinese(client: Any, county: Any) -> None:
    trip = _trip(county, "宁波", contacts=[_contact(county, "宁波商会")], members=[county.staff_a])
    project = _lead(county, trip, "电池项目")
    staff = principal_for(county.staff_a)
    visit = services.visit_create(staff, unit=county.town_a, on=TODAY, company="某公司", visitors="张某")
    event = services.event_create(
        staff, unit=county.town_a, kind="expo", name="推介会", on=TODAY, place="县城"
    )
    services.event_add_project(staff, event, project, "signed", Decimal("100"))
    pages = [
        "/outreach/trips/",
        f"/outreach/trips/{trip.pk}/",
        f"/outreach/trips/{trip.pk}/edit/",
        "/outreach/trips/new/",
        "/outreach/visits/",
        f"/outreach/visits/{visit.pk}/",
        f"/outreach/visits/{visit.pk}/edit/",
        "/outreach/visits/new/",
        "/outreach/events/",
        f"/outreach/events/{event.pk}/",
        "/outreach/events/new/",
        f"/outreach/calendar/?month={TODAY:%Y-%m}",
        f"/outreach/regions/?year={TODAY.year}",
    ]
    names = frozenset(User.objects.values_list("username", flat=True))  # the fixture's people go by them
    for user in (county.staff_a, county.coordinator):
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert leaks(_visible_text(response.content.decode()), names) == [], url
