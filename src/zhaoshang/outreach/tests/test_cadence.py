"""周外出、月会商、季签约 against the norms, judged on the last complete period with a fixed clock; the
teams and towns with no chamber or association; the self-reported time on recruiting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.org.principal import principal_for
from zhaoshang.outreach import services
from zhaoshang.outreach.models import RecruitingTime
from zhaoshang.outreach.selectors import cadence as reads
from zhaoshang.outreach.tests.helpers import contact, team

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.date(2026, 3, 18)  # the week judged is Monday 9 to Sunday 15 March


def _trip(county: Any, unit: Any, starts: dt.date, days: int = 2) -> None:
    services.trip_create(
        SYSTEM,
        unit=unit,
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=days - 1),
        region="yangtze",
        destination="宁波",
        purpose="对接新能源企业",
    )


def test_the_periods_judged_are_the_last_complete_ones() -> None:
    assert reads.last_complete("week", WEDNESDAY) == (dt.date(2026, 3, 9), dt.date(2026, 3, 15))
    assert reads.last_complete("month", WEDNESDAY) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert reads.last_complete("quarter", WEDNESDAY) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert reads.period_of("quarter", dt.date(2026, 12, 31)) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))


def test_the_cadence_page_flags_a_team_with_no_trip_in_a_week_and_a_town_with_no_chamber(
    client: Any, county: Any
) -> None:
    first, second = team(county), team(county, "第二招商小分队")
    services.norms_save(
        SYSTEM, county.county, [{"subject": "team", "activity": "trip", "period": "week", "minimum": 1}]
    )
    _trip(county, first, dt.date(2026, 3, 14))  # Saturday: inside the week judged
    _trip(county, second, dt.date(2026, 3, 16))  # Monday of this week: too late for last week
    contact(county, keeper_unit=county.bureau, linked_units=[county.town_a])  # 甲镇 links a chamber

    client.force_login(county.coordinator)
    page = client.get("/outreach/cadence/?on=2026-03-18").content.decode()
    rows = {r.name: r for r in reads.cadence(county.county, WEDNESDAY)}
    assert (rows["第一招商小分队"].below, rows["第一招商小分队"].done) == (False, 1)
    assert (rows["第二招商小分队"].below, rows["第二招商小分队"].current) == (True, 1)
    assert "低于要求的 1 项" in page and "03月09日—03月15日" in page
    no_chamber = [u.name for u in reads.units_without_chamber(county.county)]
    assert "乙镇" in no_chamber and "甲镇" not in no_chamber
    assert "第一招商小分队" in no_chamber  # neither team keeps or links one
    assert "未挂钩商会或协会的招商组、乡镇" in page and "乙镇" in page


def test_norms_are_data_edited_in_a_form(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    data = {
        "norms-TOTAL_FORMS": "2",
        "norms-INITIAL_FORMS": "0",
        "norms-0-subject": "town",
        "norms-0-activity": "time_share",
        "norms-0-period": "month",
        "norms-0-minimum": "80",
        "norms-1-subject": "leader",
        "norms-1-activity": "trip",
        "norms-1-period": "quarter",
        "norms-1-minimum": "1",
        "settings-recognising_unit": county.bureau.pk,
    }
    saved = client.post("/outreach/cadence/norms/", data)
    assert saved.status_code == 302
    assert services.recognising_unit(county.county) == county.bureau
    page = client.get("/outreach/cadence/norms/").content.decode()
    assert 'value="80.0"' in page or 'value="80"' in page
    bad = client.post("/outreach/cadence/norms/", data | {"norms-0-period": "week"})
    assert bad.status_code == 400 and "招商时间占比按月填报" in bad.content.decode()
    client.force_login(county.staff_a)
    assert client.get("/outreach/cadence/norms/").status_code == 403


def test_time_on_recruiting_is_self_reported_checked_and_shown_against_the_norm(
    client: Any, county: Any
) -> None:
    services.norms_save(
        SYSTEM,
        county.county,
        [{"subject": "town", "activity": "time_share", "period": "month", "minimum": 80}],
    )
    by = principal_for(county.staff_a)
    with pytest.raises(ValidationError, match="用于招商（天）：不能多于工作日"):
        services.time_file(
            by, county.town_a, dt.date(2026, 2, 1), working_days=Decimal(20), recruiting_days=Decimal(25)
        )
    services.time_file(
        by, county.town_a, dt.date(2026, 2, 9), working_days=Decimal(20), recruiting_days=Decimal(12)
    )
    services.time_file(
        by, county.town_a, dt.date(2026, 2, 1), working_days=Decimal(20), recruiting_days=Decimal(14)
    )
    assert RecruitingTime.objects.get().recruiting_days == Decimal(14)  # the second filing corrects the first
    rows = {r.name: r for r in reads.cadence(county.county, WEDNESDAY)}
    assert rows["甲镇"].done == Decimal("70.0") and rows["甲镇"].below
    assert rows["乙镇"].done is None and rows["乙镇"].below  # nothing reported is not 0 %, and not enough
    client.force_login(county.coordinator)
    assert "未填报" in client.get("/outreach/cadence/?on=2026-03-18").content.decode()
    client.force_login(county.staff_a)
    page = client.get("/outreach/time/?month=2026-02").content.decode()
    assert "70%" in page and "自报" in page and "table-danger" in page
    refused = client.post(
        "/outreach/time/",
        {"unit": county.town_a.pk, "month": "2026-02", "working_days": "0", "recruiting_days": "0"},
    )
    assert refused.status_code == 400 and "工作日（天）：应在 1 至 31 天之间" in refused.content.decode()
