"""The pre-review rules edited in a form: the shipped rules read back the same, the preview shows how
the suggestion changes for the projects not yet signed, the confirmation saves (audited) what the
parser reads, and a refusal keeps what was typed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhaoshang.core.audit import AuditEvent
from zhaoshang.projects import rule_forms, rulebooks
from zhaoshang.projects.engines import prereview
from zhaoshang.projects.models import Project, Rulebook

URL = "/projects/rules/review/"


def _post(county: Any, **changes: Any) -> dict[str, Any]:
    """The form as the page fills it from the shipped rules, with `changes`."""
    shipped = rulebooks.shipped("review")
    data: dict[str, Any] = {"unit": county.county.pk}
    for name, value in rule_forms.ReviewForm.initial_of(shipped).items():
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    rows = shipped["negative_list"]
    data |= {"negative-TOTAL_FORMS": len(rows), "negative-INITIAL_FORMS": len(rows)}
    for n, row in enumerate(rows):
        data |= {f"negative-{n}-{k}": v for k, v in row.items()}
    return data | changes


def _project(county: Any, name: str, land: int, **fields: Any) -> Project:
    return Project.objects.create(
        name=name,
        investor_name=f"{name}投资方",
        channel="investor_referral",
        industry_code="3491",
        town=county.town_a,
        lead_unit=county.bureau,
        stage=fields.pop("stage", "negotiating"),
        stage_since=timezone.localdate(),
        planned_investment=Decimal(land * 500),
        land_needed_mu=Decimal(land),
        promised_tax=Decimal(land * 50),
        floor_area_ratio=Decimal("1.5"),
        **fields,
    )


def test_the_form_shows_the_rules_in_force_and_reads_back_the_same(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "用地不少于（亩）" in body and 'name="threshold_min_land_mu" value="20"' in body
    assert "落后产能：新建炼铁产能" in body and "增加一条" in body
    assert "“投资强度”权重（分）" in body and "投资方为世界500强：得分比例（%）" in body
    form, rows = rule_forms.review_forms(data=_post(county))
    assert form.is_valid() and rows.is_valid(), (form.errors, rows.errors)
    content = rule_forms.review_content(form, rows)
    assert prereview.parse(content) == prereview.parse(rulebooks.shipped("review"))


def test_the_preview_shows_the_projects_whose_suggestion_changes(client: Any, county: Any) -> None:
    _project(county, "小型装备项目", 15)  # under the shipped 20 亩 veto: 不通过
    _project(county, "大型装备项目", 100)
    _project(county, "已签约项目", 15, stage="signed")  # signed: the pre-review is behind it
    client.force_login(county.coordinator)
    page = client.post(URL, _post(county, threshold_min_land_mu=10, confirm="0"))
    assert page.status_code == 200, page.context["form"].errors
    change = page.context["change"]
    assert change.considered == 2 and change.changed_count == 1
    assert change.now["reject"] == 1 and change.then["reject"] == 0
    body = page.content.decode()
    assert "小型装备项目" in body and "不通过 → " in body and "确认保存" in body
    assert not Rulebook.objects.filter(kind="review").exists()  # nothing saved by a preview


def test_the_preview_reads_a_bounded_number_of_queries(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.post(URL, _post(county, confirm="0")).status_code == 200
        return len(seen)

    _project(county, "项目一", 30)
    few = queries()
    for n in range(8):
        _project(county, f"更多项目{n}", 30 + n)
    assert queries() == few


def test_confirming_saves_the_json_the_engine_reads_and_audits_it(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    data = _post(county, threshold_min_land_mu=30, confirm="1", **{"negative-0-DELETE": "on"})
    data |= {"negative-TOTAL_FORMS": 9, "negative-8-reason": "高耗水：洗毛", "negative-8-keyword": "洗毛"}
    response = client.post(URL, data)
    assert response.status_code == 302
    book = Rulebook.objects.get(kind="review", unit=county.county)
    assert book.content["thresholds"]["min_land_mu"] == 30
    reasons = [r["reason"] for r in book.content["negative_list"]]
    assert "高耗水：洗毛" in reasons and not any("炼铁" in r for r in reasons)
    rules = rulebooks.resolve(county.town_a, "review").rules()
    assert rules.thresholds["min_land_mu"] == 30
    assert AuditEvent.objects.filter(target_type="projects.rulebook").exists()


def test_bad_input_keeps_what_was_typed_and_the_parser_names_the_rest(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    data = _post(
        county, confirm="1", pass_line="六十", **{"negative-0-industry": "", "negative-0-keyword": ""}
    )
    body = client.post(URL, data).content.decode()
    assert "建议通过分数线（分）：输入一个数字。" in body and 'value="六十"' in body
    assert "负面清单每一条须填写行业代码或关键词" in body
    weights = client.post(URL, _post(county, weight_intensity=30, confirm="1")).content.decode()
    assert "评分项权重：合计应为 100 分，现为 105 分" in weights
    assert not Rulebook.objects.filter(kind="review").exists()


def test_a_town_may_not_edit_the_rules(client: Any, county: Any) -> None:
    client.force_login(county.staff_a)
    assert client.get(URL).status_code == 403
