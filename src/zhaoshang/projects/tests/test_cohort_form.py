"""The cohort requirements edited in a form: the shipped rules read back the same, the preview shows each
requirement (the layers above included) under the draft with who meets it, and the confirmation saves
(audited) what the parser reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhaoshang.core.audit import AuditEvent
from zhaoshang.projects import rule_forms, rulebooks
from zhaoshang.projects.engines import cohorts
from zhaoshang.projects.models import Project, Rulebook

URL = "/projects/rules/cohorts/"


def _post(county: Any, rows: list[dict[str, Any]] | None = None, **changes: Any) -> dict[str, Any]:
    """The form as the page fills it from the shipped rules (or `rows`), with `changes`."""
    raw = rows if rows is not None else rulebooks.shipped("cohorts")["rules"]
    data: dict[str, Any] = {
        "unit": county.county.pk,
        "cohort-TOTAL_FORMS": len(raw),
        "cohort-INITIAL_FORMS": 0,
    }
    for n, row in enumerate(raw):
        for name, value in rule_forms.CohortForm.initial_of(row).items():
            if value not in (None, False):
                data[f"cohort-{n}-{name}"] = "on" if value is True else value
    return data | changes


def _signed(county: Any, name: str, year: int, stage: str = "signed") -> Project:
    return Project.objects.create(
        name=name,
        investor_name=f"{name}投资方",
        channel="investor_referral",
        town=county.town_a,
        lead_unit=county.bureau,
        stage=stage,
        stage_since=timezone.localdate(),
        signed_on=dt.date(year, 3, 1),
        contract_amount=Decimal(10000),
        start_date=dt.date(year, 9, 1) if stage == "started" else None,
    )


def test_the_form_shows_the_rules_in_force_and_reads_back_the_same(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    body = client.get(URL).content.decode()
    assert "2024 年签约项目 2025 年底前开工一半" in body and 'value="50"' in body
    assert "三类 500 强（任一）" in body and "增加一条要求" in body
    form, rows = rule_forms.cohort_forms(data=_post(county))
    assert form.is_valid() and rows.is_valid(), rows.errors
    content = rule_forms.cohort_content(form, rows)
    assert cohorts.parse(content) == cohorts.parse(rulebooks.shipped("cohorts"))


def test_the_preview_shows_who_meets_each_requirement_under_the_draft(client: Any, county: Any) -> None:
    _signed(county, "已开工项目", 2024, stage="started")
    _signed(county, "未开工项目", 2024)
    client.force_login(county.coordinator)
    # Half of the 2024 cohort is met by one of two; all of it is not.
    page = client.post(URL, _post(county, **{"cohort-1-share": 100, "confirm": "0"}))
    assert page.status_code == 200
    change = page.context["change"]
    by_name = {r.rule.name: r for r in change.results}
    assert by_name["2024 年签约项目 2025 年底前开工一半"].required == 2
    assert change.met_then == change.met_now - 1
    body = page.content.decode()
    assert 'id="cohorts-preview"' in body and "未达标" in body and "确认保存" in body
    assert not Rulebook.objects.filter(kind="cohorts").exists()


def test_confirming_saves_the_json_the_engine_reads_and_audits_it(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    rows = [
        {
            "name": "2025 年签约项目 2026 年底前开工七成",
            "signed_year": [2025],
            "share": 0.7,
            "by": "2026-12-31",
        }
    ]
    data = _post(county, rows, **{"cohort-0-signed_years": "2025、2026", "cohort-0-count_dropped": "on"})
    assert client.post(URL, data | {"confirm": "1"}).status_code == 302
    book = Rulebook.objects.get(kind="cohorts", unit=county.county)
    assert book.content == {
        "rules": [
            {
                "name": "2025 年签约项目 2026 年底前开工七成",
                "signed_year": [2025, 2026],
                "rank": None,
                "share": 0.7,
                "reach": "started",
                "by": "2026-12-31",
                "count_dropped": True,
            }
        ]
    }
    assert [r.share for r in rulebooks.cohort_rules(county.town_a).rules] == [0.7]
    assert AuditEvent.objects.filter(target_type="projects.rulebook").exists()


def test_bad_input_keeps_what_was_typed(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    data = _post(county, **{"cohort-0-signed_years": "二〇二三", "cohort-0-share": 0, "confirm": "1"})
    body = client.post(URL, data).content.decode()
    assert "签约年度：写四位年份" in body and 'value="二〇二三"' in body
    assert "比例（%）：确保该值大于或等于0.01。" in body
    assert not Rulebook.objects.filter(kind="cohorts").exists()
