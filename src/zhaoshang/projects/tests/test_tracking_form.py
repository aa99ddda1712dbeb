"""The tracking rules edited in a form: the preview counts the projects that change alert state, a
refused form keeps what was typed, the confirmation saves (audited) the JSON the parser reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from zhaoshang.core.audit import AuditEvent
from zhaoshang.projects import rulebooks
from zhaoshang.projects.models import Project, Rulebook

TODAY = timezone.localdate()
URL = "/projects/rules/tracking/"


def _project(county: Any, name: str, days_in_stage: int) -> Project:
    return Project.objects.create(
        name=name,
        investor_name=f"{name}投资方",
        channel="investor_referral",
        town=county.town_a,
        lead_unit=county.bureau,
        responsible_leader=county.leader,
        stage="negotiating",
        stage_since=TODAY - dt.timedelta(days=days_in_stage),
        last_follow_up=TODAY,
    )


def _post(county: Any, **changes: Any) -> dict[str, Any]:
    """The form as the page fills it from the shipped rules, with `changes`."""
    shipped = rulebooks.shipped("tracking")
    data: dict[str, Any] = {"unit": county.county.pk, "stale_days": shipped["stale_days"]}
    data |= {f"limit_{stage}": days for stage, days in shipped["stage_limits"].items()}
    rows = shipped["deadlines"]
    data |= {"deadline-TOTAL_FORMS": len(rows), "deadline-INITIAL_FORMS": len(rows)}
    for n, row in enumerate(rows):
        data |= {f"deadline-{n}-{k}": v for k, v in row.items() if k not in ("share", "fee_share")}
        if "share" in row:
            data[f"deadline-{n}-share"] = row["share"] * 100
        if "fee_share" in row:
            data[f"deadline-{n}-fee_share"] = row["fee_share"] * 100
    return data | changes


def test_the_form_shows_the_rules_in_force(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "“洽谈”阶段最长停留（天）" in body and 'value="180"' in body
    assert "签约后 3 个月内注册资本到位 25%" in body and 'name="deadline-1-share" value="25"' in body
    assert "增加一条时限" in body and "__prefix__" in body


def test_the_preview_counts_the_projects_that_change_alert_state(client: Any, county: Any) -> None:
    _project(county, "在谈100天", 100)  # under the shipped 180 days: quiet; over 90: alerting
    _project(county, "在谈200天", 200)  # over both
    _project(county, "在谈10天", 10)  # under both
    client.force_login(county.coordinator)
    page = client.post(URL, _post(county, limit_negotiating=90, confirm="0"))
    assert page.status_code == 200
    change = page.context["change"]
    assert (change.alerting_now, change.alerting_then, change.newly, change.cleared) == (1, 2, 1, 0)
    body = page.content.decode()
    assert '新增提醒 <strong class="newly">1</strong> 个' in body and "确认保存" in body
    assert not Rulebook.objects.filter(kind="tracking").exists()  # nothing saved by a preview
    looser = client.post(URL, _post(county, limit_negotiating=365, confirm="0")).context["change"]
    assert (looser.alerting_then, looser.newly, looser.cleared) == (0, 0, 1)


def test_confirming_saves_the_json_the_engine_reads_and_audits_it(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    data = _post(county, limit_negotiating=90, confirm="1", **{"deadline-0-DELETE": "on"})
    response = client.post(URL, data)
    assert response.status_code == 302
    book = Rulebook.objects.get(kind="tracking", unit=county.county)
    assert book.content["stage_limits"]["negotiating"] == 90
    assert [d["kind"] for d in book.content["deadlines"]] == [
        "capital_in_place",
        "start_after_move_in",
        "idle_land",
    ]
    assert book.content["deadlines"][0]["share"] == 0.25
    assert rulebooks.tracking_rules(county.town_a).stage_limits["negotiating"] == 90
    assert AuditEvent.objects.filter(target_type="projects.rulebook").exists()


def test_an_added_row_and_bad_input_keep_what_was_typed(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    data = _post(county, stale_days="三十", confirm="1")
    data |= {
        "deadline-TOTAL_FORMS": 5,
        "deadline-4-kind": "land_settled",
        "deadline-4-label": "签约后 2 个月内落实用地（加严）",
        "deadline-4-months": 0,
        "deadline-4-warn_days": 10,
    }
    page = client.post(URL, data)
    assert page.status_code == 200
    body = page.content.decode()
    assert "跟进间隔（天）：输入整数。" in body
    assert 'value="三十"' in body and "签约后 2 个月内落实用地（加严）" in body
    assert "期限（月）：确保该值大于或等于1。" in body
    assert not Rulebook.objects.filter(kind="tracking").exists()


def test_the_parser_refuses_what_the_form_cannot(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    data = _post(county, confirm="1", **{"deadline-3-reclaim_months": 6})  # not after 12 months idle
    page = client.post(URL, data)
    assert page.status_code == 200
    assert "时限 4（闲置土地）的收回月数：必须大于认定闲置的月数 12" in page.content.decode()
    assert not Rulebook.objects.filter(kind="tracking").exists()


def test_a_town_may_not_edit_the_rules(client: Any, county: Any) -> None:
    client.force_login(county.staff_a)
    assert client.get(URL).status_code == 403
