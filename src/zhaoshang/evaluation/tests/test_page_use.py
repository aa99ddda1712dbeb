"""The 亩均 pages as the investment bureau, a town and an enterprise use them, through the test client. Schemes, runs and the run page's tabs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from zhaoshang.core.models import Job
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.evaluation import runner, services
from zhaoshang.evaluation.models import Evaluation, EvaluationResult, Scheme
from zhaoshang.org.principal import principal_for

from .conftest import _text

pytestmark = pytest.mark.django_db


def test_the_coordinator_sees_schemes_and_a_town_only_the_results(
    client: Any, county: Any, scheme: Scheme, run: Evaluation
) -> None:
    client.force_login(county.coordinator)
    page = _text(client.get("/evaluation/"))
    assert "新建方案" in page and "2025 年规上企业评价" in page
    assert f"/evaluation/runs/{run.pk}/" in page and "公示中" in page
    client.force_login(county.staff_a)
    response = client.get("/evaluation/")
    assert response.context["schemes"] == [] and not response.context["can_configure"]
    assert f"/evaluation/runs/{run.pk}/" in _text(response)
    assert f"/evaluation/schemes/{scheme.pk}/" not in _text(response)


def test_a_new_scheme_from_a_shipped_template(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    response = client.post(
        "/evaluation/schemes/new/", {"template": "below_scale", "year": 2025, "name": "规下企业试评"}
    )
    scheme = Scheme.objects.get(name="规下企业试评")
    assert response.status_code == 302 and response.url == f"/evaluation/schemes/{scheme.pk}/"
    assert scheme.unit == county.county and scheme.year == 2025 and scheme.covers == "below"
    page = _text(client.get(response.url))
    assert "已新建方案" in page and "请核对基准值后开始评价" in page
    assert "指标与权重" in page


def test_a_new_scheme_with_a_bad_year_is_refused_naming_the_field(client: Any, county: Any) -> None:
    client.force_login(county.coordinator)
    response = client.post(
        "/evaluation/schemes/new/", {"template": "above_scale", "year": 1900, "name": "太早"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/evaluation/"
    assert "评价年度：" in _text(response)
    assert not Scheme.objects.exists()


def test_only_the_coordinator_may_configure_schemes(client: Any, county: Any, scheme: Scheme) -> None:
    for who in (county.staff_a, county.leader, county.inspector, county.enterprise):
        client.force_login(who)
        new = client.post("/evaluation/schemes/new/", {"template": "above_scale", "year": 2025})
        assert new.status_code == 403, who
        assert client.get(f"/evaluation/schemes/{scheme.pk}/").status_code == 403, who
        assert client.post(f"/evaluation/schemes/{scheme.pk}/run/", {"notice_days": 7}).status_code == 403
    assert Scheme.objects.count() == 1 and not Evaluation.objects.exists()


def test_editing_a_scheme_raises_its_version(client: Any, county: Any, scheme: Scheme) -> None:
    import json

    client.force_login(county.coordinator)
    definition = dict(scheme.definition)
    definition["indicators"] = [dict(definition["indicators"][0], weight=40)] + definition["indicators"][1:]
    response = client.post(
        f"/evaluation/schemes/{scheme.pk}/",
        {"name": "改名后的方案", "definition": json.dumps(definition, ensure_ascii=False)},
        follow=True,
    )
    assert "已保存方案（第 2 版）" in _text(response)
    scheme.refresh_from_db()
    assert scheme.version == 2 and scheme.name == "改名后的方案"
    assert scheme.definition["indicators"][0]["weight"] == 40


def test_a_definition_that_is_not_an_object_is_refused(client: Any, county: Any, scheme: Scheme) -> None:
    client.force_login(county.coordinator)
    page = _text(client.post(f"/evaluation/schemes/{scheme.pk}/", {"name": "x", "definition": "[1, 2]"}))
    assert "评价方法应为一个对象" in page and "[1, 2]" in page
    scheme.refresh_from_db()
    assert scheme.version == 1


def test_a_stored_broken_definition_still_opens_the_page_to_fix_it(
    client: Any, county: Any, scheme: Scheme
) -> None:
    Scheme.objects.filter(pk=scheme.pk).update(definition={"covers": "above", "indicators": []})
    client.force_login(county.coordinator)
    response = client.get(f"/evaluation/schemes/{scheme.pk}/")
    assert response.context["method"] is None
    assert "方案定义有误，请在下方修改。" in _text(response)


def test_a_town_or_another_countys_scheme_is_not_found(client: Any, county: Any) -> None:
    from zhaoshang.org.tests.factories import UnitFactory, UnitKindFactory

    elsewhere = UnitFactory(name="别的县", kind=UnitKindFactory(code="county"))
    other = services.scheme_create(
        SYSTEM,
        name="别县方案",
        year=2025,
        unit=elsewhere,
        definition=services.shipped_definitions()["above_scale"],
    )
    client.force_login(county.coordinator)
    assert client.get(f"/evaluation/schemes/{other.pk}/").status_code == 404
    assert client.post(f"/evaluation/schemes/{other.pk}/copy/", {"year": 2026}).status_code == 404
    assert Scheme.objects.filter(unit=elsewhere).count() == 1


def test_copying_a_scheme_to_next_year(client: Any, county: Any, scheme: Scheme) -> None:
    client.force_login(county.coordinator)
    response = client.post(f"/evaluation/schemes/{scheme.pk}/copy/", {"year": 2026}, follow=True)
    copy = Scheme.objects.get(year=2026)
    assert response.redirect_chain[-1][0] == f"/evaluation/schemes/{copy.pk}/"
    assert "已复制为 2026 年度方案" in _text(response)
    assert copy.definition["indicators"] == scheme.definition["indicators"]
    bad = client.post(f"/evaluation/schemes/{scheme.pk}/copy/", {"year": "明年"}, follow=True)
    assert "复制到年度：请填写 2000–2100 之间的年份。" in _text(bad)
    assert Scheme.objects.count() == 2


# --- starting a run -----------------------------------------------------------------------------------


def test_starting_a_run_from_the_scheme_page(client: Any, county: Any, scheme: Scheme) -> None:
    client.force_login(county.coordinator)
    bad = client.post(f"/evaluation/schemes/{scheme.pk}/run/", {"notice_days": 0}, follow=True)
    assert "公示天数：请填写 1–60 之间的整数。" in _text(bad) and not Evaluation.objects.exists()
    response = client.post(
        f"/evaluation/schemes/{scheme.pk}/run/", {"notice_days": 10, "note": "首次评价"}, follow=True
    )
    run = Evaluation.objects.get()
    assert response.redirect_chain[-1][0] == f"/evaluation/runs/{run.pk}/"
    assert "评价完成，进入公示" in _text(response)
    assert run.status == Evaluation.Status.NOTICE and run.counts["listed"] == 12
    assert run.notice_until - run.created_at.date() >= dt.timedelta(days=9)
    assert "用本方案做过的评价" in _text(client.get(f"/evaluation/schemes/{scheme.pk}/"))


def test_a_year_without_data_cannot_be_evaluated(client: Any, county: Any, firms: list[Any]) -> None:
    empty = services.scheme_create(
        principal_for(county.coordinator),
        name="",
        year=2030,
        unit=county.county,
        definition=services.shipped_definitions()["above_scale"],
    )
    client.force_login(county.coordinator)
    response = client.post(f"/evaluation/schemes/{empty.pk}/run/", {"notice_days": 7}, follow=True)
    assert response.redirect_chain[-1][0] == f"/evaluation/schemes/{empty.pk}/"
    assert "无法评价：" in _text(response) and "2030 年度数据" in _text(response)
    assert not Evaluation.objects.exists()


def test_a_large_county_is_evaluated_by_the_worker(
    client: Any, county: Any, scheme: Scheme, monkeypatch: Any
) -> None:
    monkeypatch.setattr(runner, "INLINE_LIMIT", 0)
    client.force_login(county.coordinator)
    response = client.post(f"/evaluation/schemes/{scheme.pk}/run/", {"notice_days": 7})
    job = Job.objects.get(kind="evaluation.run")
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.params["scheme"] == scheme.pk and not Evaluation.objects.exists()


# --- the run page and its tabs --------------------------------------------------------------------------


def test_the_ranking_tab_filters_by_grade_name_and_town(client: Any, county: Any, run: Evaluation) -> None:
    client.force_login(county.coordinator)
    page = client.get(f"/evaluation/runs/{run.pk}/")
    assert page.context["tab"] == "ranking"
    assert [r.rank for r in page.context["page"]] == list(range(1, 13))
    body = _text(page)
    assert "分类分布" in body and "公示与发布" in body and "评价企业12" in body
    a_only = client.get(f"/evaluation/runs/{run.pk}/?grade=A")
    assert {r.grade for r in a_only.context["page"]} == {"A"}
    named = client.get(f"/evaluation/runs/{run.pk}/?q=评价企业07")
    assert [r.enterprise.name for r in named.context["page"]] == ["评价企业07"]
    town_b = client.get(f"/evaluation/runs/{run.pk}/?town={county.town_b.pk}&sort=-score")
    rows = list(town_b.context["page"])
    assert {r.enterprise.town_id for r in rows} == {county.town_b.pk} and len(rows) == 6
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
    nothing = client.get(f"/evaluation/runs/{run.pk}/?q=不存在的企业")
    assert "没有符合条件的企业。" in _text(nothing)


def test_an_unknown_tab_falls_back_to_the_ranking(client: Any, county: Any, run: Evaluation) -> None:
    client.force_login(county.coordinator)
    page = client.get(f"/evaluation/runs/{run.pk}/?tab=../../etc")
    assert page.context["tab"] == "ranking" and len(page.context["page"]) == 12


def test_the_aggregates_tab_totals_what_the_user_may_see(client: Any, county: Any, run: Evaluation) -> None:
    client.force_login(county.staff_a)
    page = client.get(f"/evaluation/runs/{run.pk}/?tab=aggregates")
    body = _text(page)
    assert "按园区" in body and "按行业（国民经济行业大类）" in body
    assert "测试县合计（您可见的企业）" in body
    rows = EvaluationResult.objects.filter(run=run, enterprise__town=county.town_a)
    land = sum(r.land_mu for r in rows)
    tax = sum(r.tax for r in rows)
    assert page.context["scope_total"].tax_per_mu == (tax / land).quantize(Decimal("0.01"))
    assert page.context["park_chart"]["tax_per_mu"]


def test_the_measures_and_land_tabs(client: Any, county: Any, run: Evaluation) -> None:
    client.force_login(county.coordinator)
    measures = client.get(f"/evaluation/runs/{run.pk}/?tab=measures")
    body = _text(measures)
    assert "按方案的差别化措施表" in body
    listed = measures.context["measures"]
    assert listed and {r.grade for r, _m in listed} <= {"A", "B", "C", "D"}
    assert {r.grade for r, _m in listed} >= {"A", "D"}  # both ends of the ranking have measures
    assert listed[0][0].enterprise.name in body
    land = client.get(f"/evaluation/runs/{run.pk}/?tab=land")
    shown = list(land.context["page"])
    assert "腾笼换鸟：C、D 类且用地不少于" in _text(land)
    assert shown and all(r.grade in ("C", "D") and r.land_mu >= 10 for r in shown)
    assert [r.land_mu for r in shown] == sorted((r.land_mu for r in shown), reverse=True)
    expected = EvaluationResult.objects.filter(run=run, grade__in=["C", "D"]).count()
    assert len(shown) == expected


def test_a_town_sees_no_low_efficiency_land_outside_its_firms(
    client: Any, county: Any, run: Evaluation
) -> None:
    from zhaoshang.core.roles import Role
    from zhaoshang.org.tests.factories import MembershipFactory, UnitFactory, UnitKindFactory, UserFactory

    empty_town = UnitFactory(name="丙镇", kind=UnitKindFactory(code="town"), parent=county.county)
    staff = UserFactory(username="staff_c")
    MembershipFactory(user=staff, unit=empty_town, role=Role.UNIT_STAFF)
    client.force_login(staff)
    page = client.get(f"/evaluation/runs/{run.pk}/?tab=land")
    assert list(page.context["page"]) == [] and "没有低效用地企业。" in _text(page)
    measures = client.get(f"/evaluation/runs/{run.pk}/?tab=measures")
    assert "没有适用的措施。" in _text(measures)


def test_a_town_sees_the_county_run_but_only_its_firms(client: Any, county: Any, run: Evaluation) -> None:
    client.force_login(county.staff_b)
    page = client.get(f"/evaluation/runs/{run.pk}/")
    assert {r.enterprise.town_id for r in page.context["page"]} == {county.town_b.pk}
    assert "评价企业01" not in _text(page) and "评价企业02" in _text(page)
    assert not page.context["can_configure"]
    assert "发布评价结果" not in _text(page)


def test_a_run_of_another_county_is_not_found(client: Any, county: Any, run: Evaluation) -> None:
    from zhaoshang.core.roles import Role
    from zhaoshang.org.tests.factories import MembershipFactory, UnitFactory, UnitKindFactory, UserFactory

    elsewhere = UnitFactory(name="别的县", kind=UnitKindFactory(code="county"))
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, unit=elsewhere, role=Role.COORDINATOR)
    client.force_login(stranger)
    assert client.get(f"/evaluation/runs/{run.pk}/").status_code == 404
    assert client.post(f"/evaluation/runs/{run.pk}/publish/", {"early_reason": "x"}).status_code == 404
    run.refresh_from_db()
    assert run.status == Evaluation.Status.NOTICE


# --- the score card, objections, facts, publication ----------------------------------------------------------
