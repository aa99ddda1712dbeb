"""Projects through the services and the pages: moves with evidence, follow-ups, alerts, scoping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhaoshang.core import audit
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import services
from zhaoshang.projects.models import Project, StageMove
from zhaoshang.projects.tests.helpers import COMMITTEE

TODAY = timezone.localdate()


def _project(county: Any, by: Any, town: Any = None, **extra: Any) -> Project:
    return services.project_create(
        principal_for(by),
        name=extra.pop("name", "新能源电池项目"),
        investor_name="宁波某电池股份有限公司",
        channel="investor_referral",
        town=town or county.town_a,
        # A town names units of its own: its project is led by itself (the bureau leads the county's).
        lead_unit=extra.pop("lead_unit", town or county.town_a),
        responsible_leader=county.leader,
        planned_investment=Decimal("30000"),
        **extra,
    )


def test_a_project_moves_only_with_what_each_stage_requires(county: Any) -> None:
    staff, coordinator = principal_for(county.staff_a), principal_for(county.coordinator)
    p = _project(county, county.staff_a)
    services.project_move(staff, p, "negotiating", on=TODAY)
    services.project_move(staff, p, "review", on=TODAY)
    with pytest.raises(ValidationError) as refused:
        services.project_move(staff, p, "signed", on=TODAY, supplied={"contract_amount": Decimal("0")})
    assert refused.value.messages == [
        "须通过预审（通过或有条件通过）",
        "签约须填写大于 0 的合同金额（万元）",
        "签约须上传投资协议",
    ]
    with pytest.raises(PermissionDenied):  # the review committee's decision is the coordinators'
        services.review_record(staff, p, decision="pass", notes="同意")
    services.review_record(
        coordinator,
        p,
        decision="conditional",
        notes="同意引进",
        conditions="须在 3 个月内注册公司",
        votes=COMMITTEE,
    )
    services.project_move(
        staff,
        p,
        "signed",
        on=TODAY,
        supplied={"contract_amount": Decimal("28000")},
        evidence=[("agreement", "投资协议.pdf", b"%PDF")],
    )
    p.refresh_from_db()
    assert (p.stage, p.contract_amount, p.signed_on) == ("signed", Decimal("28000"), TODAY)
    assert StageMove.objects.filter(project=p).count() == 3
    with pytest.raises(ValidationError, match="不能从“签约”直接变为“开工”"):
        services.project_move(staff, p, "started", on=TODAY, supplied={"start_date": TODAY})
    services.project_move(
        staff,
        p,
        "dropped",
        on=TODAY,
        opinion="投资方资金链断裂",
        supplied={"drop_reason": "investor_withdrew"},
    )
    with pytest.raises(ValidationError, match="只有统筹协调人员"):
        services.project_move(staff, p, "negotiating", on=TODAY, opinion="重新接洽")
    services.project_move(coordinator, p, "negotiating", on=TODAY, opinion="投资方重新接洽")
    p.refresh_from_db()
    assert p.stage == "negotiating" and p.drop_reason == ""
    assert audit.verify().ok


def test_alerts_follow_the_rules(county: Any) -> None:
    staff = principal_for(county.staff_a)
    p = _project(county, county.staff_a, stage_since=TODAY - dt.timedelta(days=100))
    services.follow_up_add(
        staff,
        p,
        on=TODAY - dt.timedelta(days=40),
        what="第一次洽谈",
        next_step="报送方案",
        next_date=TODAY - dt.timedelta(days=5),
    )
    from zhaoshang.projects.selectors import alerting

    ((found, alerts),) = alerting(principal_for(county.leader), mine=True)
    assert found.pk == p.pk
    assert [a.kind for a in alerts] == ["overdue_step", "no_follow_up", "stage_too_long"]
    services.follow_up_add(
        staff, p, on=TODAY, what="方案已收到", next_step="组织预审", next_date=TODAY + dt.timedelta(days=7)
    )
    ((found, alerts),) = alerting(principal_for(county.leader), mine=True)
    assert [a.kind for a in alerts] == ["stage_too_long"]  # lead for 100 days > 90
    with pytest.raises(ValidationError, match="下一步日期：不能早于本次跟进日期"):
        services.follow_up_add(staff, p, on=TODAY, what="x", next_date=TODAY - dt.timedelta(days=1))


def test_pages_are_scoped_bounded_and_keep_what_was_typed(client: Any, county: Any) -> None:
    for n in range(30):
        _project(county, county.coordinator, town=county.town_a if n % 2 else county.town_b, name=f"项目{n}")
    client.force_login(county.staff_a)
    page = client.get("/projects/")
    assert {p.town_id for p, _ in page.context["rows"]} == {county.town_a.pk}
    other = Project.objects.filter(town=county.town_b).first()
    assert client.get(f"/projects/{other.pk}/").status_code == 404
    client.force_login(county.coordinator)
    # The board reads each of its eight stages with one short query instead of one for the page.
    for url, bound in (("/projects/", 14), ("/projects/?view=board", 14 + 7), ("/projects/alerts/", 14)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= bound, (url, len(queries))
    mine = Project.objects.filter(town=county.town_a).first()
    services.project_move(principal_for(county.coordinator), mine, "negotiating", on=TODAY)
    services.project_move(principal_for(county.coordinator), mine, "review", on=TODAY)
    response = client.post(
        f"/projects/{mine.pk}/move/",
        {
            "target": "signed",
            "on": TODAY.isoformat(),
            "contract_amount": "12345",
            "opinion": "县长办公会同意",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "签约须上传投资协议" in body
    assert 'value="12345"' in body and "县长办公会同意" in body
