"""Rulebooks through the service and the pages: who may save, what a refusal says, which rules apply,
the cohort page's counts and its bounded queries, and alerts that follow the rulebook."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhaoshang.core import audit
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import rulebooks, selectors
from zhaoshang.projects.models import Project, Rulebook

TODAY = timezone.localdate()


def _tracking(**changes: Any) -> dict[str, Any]:
    content = rulebooks.shipped("tracking")
    content.update(changes)
    return content


def _project(county: Any, name: str, **fields: Any) -> Project:
    fields.setdefault("town", county.town_a)
    fields.setdefault("stage", "signed")
    fields.setdefault("stage_since", TODAY)
    return Project.objects.create(
        name=name,
        investor_name=f"{name}投资方",
        channel="investor_referral",
        lead_unit=county.bureau,
        responsible_leader=county.leader,
        **fields,
    )


def test_the_unit_reads_its_own_else_the_county_else_the_shipped(county: Any) -> None:
    coordinator = principal_for(county.coordinator)
    assert rulebooks.resolve(county.village_a, "tracking").source is None
    assert rulebooks.tracking_rules(county.village_a).stale_days == 30
    rulebooks.rulebook_save(coordinator, county.county, "tracking", _tracking(stale_days=20))
    assert rulebooks.resolve(county.village_a, "tracking").source == county.county
    rulebooks.rulebook_save(coordinator, county.village_a, "tracking", _tracking(stale_days=10))
    assert rulebooks.tracking_rules(county.village_a).stale_days == 10
    assert rulebooks.tracking_rules(county.town_b).stale_days == 20
    # Saved again: one rulebook per unit and kind, every change in the audit chain.
    rulebooks.rulebook_save(coordinator, county.county, "tracking", _tracking(stale_days=25))
    assert Rulebook.objects.filter(kind="tracking").count() == 2
    assert audit.verify().ok
    # A kind with no parser yet is kept as any JSON object.
    rulebooks.rulebook_save(coordinator, county.county, "review", {"rules": []})
    with pytest.raises(ValidationError):
        rulebooks.rulebook_save(coordinator, county.county, "review", [])  # type: ignore[arg-type]


def test_only_coordinators_save_and_refusals_list_every_problem(county: Any) -> None:
    with pytest.raises(PermissionDenied):
        rulebooks.rulebook_save(principal_for(county.staff_a), county.county, "tracking", _tracking())
    bad = _tracking(stale_days=0)
    bad["deadlines"][1]["months"] = "三"
    with pytest.raises(ValidationError) as refused:
        rulebooks.rulebook_save(principal_for(county.coordinator), county.county, "tracking", bad)
    assert refused.value.message_dict["content"] == [
        "跟进间隔天数（stale_days）：必须是正整数",
        "时限 2（注册资本到位）的月数：必须是正整数",
    ]
    assert not Rulebook.objects.exists()


def test_coordinator_edits_a_rule_on_the_page_and_a_town_only_reads(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    page = client.get("/projects/rules/")
    assert page.status_code == 200 and page.context["can_edit"] and page.context["unit"] == county.county
    bad = _tracking()
    bad["deadlines"][1]["months"] = 0
    typed = json.dumps(bad, ensure_ascii=False)
    response = client.post(
        "/projects/rules/", {"unit": county.county.pk, "kind": "tracking", "content": typed}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "时限 2（注册资本到位）的月数：必须是正整数" in body
    assert "&quot;months&quot;: 0" in body  # what was typed comes back
    response = client.post("/projects/rules/", {"unit": county.county.pk, "kind": "tracking", "content": "{"})
    assert "格式有误" in response.content.decode()
    good = json.dumps(_tracking(stale_days=14), ensure_ascii=False)
    response = client.post(
        "/projects/rules/", {"unit": county.county.pk, "kind": "tracking", "content": good}
    )
    assert response.status_code == 302
    assert Rulebook.objects.get(unit=county.county, kind="tracking").content["stale_days"] == 14

    client.force_login(county.staff_a)
    page = client.get("/projects/rules/")
    body = page.content.decode()
    assert page.status_code == 200 and not page.context["can_edit"]
    assert page.context["unit"] == county.county and "超过 <strong>14</strong> 天" in body
    assert 'id="form-tracking"' not in body
    response = client.post(
        "/projects/rules/", {"unit": county.county.pk, "kind": "tracking", "content": good}
    )
    assert response.status_code == 403
    assert client.get(f"/projects/rules/?unit={county.town_b.pk}").status_code == 404
    client.force_login(county.enterprise)  # the organisation's rules are not an enterprise's to read
    assert client.get("/projects/rules/").status_code == 404


def test_alerts_use_the_rulebook_stage_limit(county: Any) -> None:
    p = _project(county, "电池项目", stage="lead", stage_since=TODAY - dt.timedelta(days=50))
    leader = principal_for(county.leader)
    assert not any(a.kind == "stage_too_long" for _, found in selectors.alerting(leader) for a in found)
    limits = dict(rulebooks.shipped("tracking")["stage_limits"], lead=40)
    rulebooks.rulebook_save(
        principal_for(county.coordinator), county.county, "tracking", _tracking(stage_limits=limits)
    )
    ((found, alerts),) = selectors.alerting(leader)
    assert found.pk == p.pk
    assert "超过 40 天的时限" in next(a.message for a in alerts if a.kind == "stage_too_long")
    assert any(a.kind == "stage_too_long" for a in selectors.alerts(Project.objects.get(pk=p.pk)))


def test_deadline_checks_and_the_list_light(client: Any, county: Any) -> None:
    from zhaoshang.projects.services import fund_arrival_add

    signed = TODAY - dt.timedelta(days=200)
    p = _project(county, "纺织项目", signed_on=signed, registered_capital=Decimal("1000"))
    fund_arrival_add(
        principal_for(county.coordinator),
        p,
        on=TODAY,
        amount=Decimal("300"),
        source="in_province",
        use="fixed_assets",
        proof=("bank_record", "进账单.pdf", b"%PDF"),
    )
    checks = {c.kind: c for c in selectors.deadline_checks(Project.objects.get(pk=p.pk))}
    assert checks["land_settled"].status == "red"
    # 300 万元 arrived long after the three months: the ledger says 0 by the deadline.
    assert checks["capital_in_place"].status == "red" and "到位 0 万元" in checks["capital_in_place"].message
    assert checks["idle_land"].status == "none"
    client.force_login(county.coordinator)
    page = client.get("/projects/")
    assert page.context["lights"][p.pk] == "red"
    assert "逾期" in page.content.decode()


def _cohort_fixture(county: Any) -> None:
    _project(
        county, "甲2023开工", signed_on=dt.date(2023, 3, 1), stage="started", start_date=dt.date(2024, 1, 1)
    )
    _project(county, "甲2023未开工", signed_on=dt.date(2023, 5, 1), stage="land_supplied")
    _project(county, "乙2023未开工", signed_on=dt.date(2023, 6, 1), town=county.town_b)
    _project(
        county,
        "乙2024开工",
        signed_on=dt.date(2024, 2, 1),
        stage="started",
        start_date=dt.date(2024, 9, 1),
        town=county.town_b,
    )
    _project(county, "甲2024五百强", signed_on=dt.date(2024, 3, 1), investor_rank="global500")
    _project(county, "在谈五百强", stage="negotiating", investor_rank="china500")


def test_the_cohort_page_counts_who_is_behind(client: Any, county: Any) -> None:
    _cohort_fixture(county)
    client.force_login(county.coordinator)
    page = client.get("/projects/cohorts/")
    assert page.status_code == 200
    summary = [
        (len(r.covered), len(r.reached), r.required, r.met, sorted(p.name for p in r.behind))
        for r, _ in page.context["results"]
    ]
    assert summary == [
        (3, 1, 3, False, ["乙2023未开工", "甲2023未开工"]),
        (2, 1, 1, True, ["甲2024五百强"]),
        (1, 0, 1, False, ["甲2024五百强"]),
    ]
    body = page.content.decode()
    assert "未达标" in body and "达标" in body and "甲2023未开工" in body
    client.force_login(county.staff_a)  # a town sees its own projects against the county's rules
    mine = client.get("/projects/cohorts/")
    assert [len(r.covered) for r, _ in mine.context["results"]] == [2, 1, 1]
    client.force_login(county.coordinator)
    export = client.get("/projects/cohorts/?format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/projects/cohorts/", "/projects/rules/", "/projects/"])
def test_tracking_pages_do_not_grow_with_rows(client: Any, county: Any, url: str) -> None:
    client.force_login(county.coordinator)
    rulebooks.rulebook_save(principal_for(county.coordinator), county.village_a, "tracking", _tracking())
    _cohort_fixture(county)
    # One project with money in place, so the page's single ledger query runs in both counts.
    _project(
        county, "有资金", signed_on=dt.date(2023, 1, 1), registered_capital=Decimal("10"), funds_in_place=1
    )
    small = _count(client, url)
    for n in range(25):
        _project(
            county,
            f"批量{n}",
            signed_on=dt.date(2023, 1 + n % 12, 1),
            registered_capital=Decimal("100"),
            funds_in_place=Decimal("30"),
            park=county.village_a if n % 2 else None,
        )
    assert _count(client, url) == small
    assert small <= 14, small
