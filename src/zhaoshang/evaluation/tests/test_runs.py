"""Running, objecting, publishing and reading evaluations through the services and the pages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.enterprises.tests.factories import EnterpriseFactory, EnterpriseYearFactory
from zhaoshang.evaluation import runner, services
from zhaoshang.evaluation.models import Evaluation, EvaluationResult, Objection
from zhaoshang.org.principal import principal_for


def _firm(town: Any, n: int, **overrides: Any) -> Any:
    e = EnterpriseFactory(
        name=f"评价企业{n:02d}", town=town, land_owned_mu=Decimal(10 + n), founded_on=dt.date(2010, 1, 1)
    )
    for year in (2024, 2025):
        figures = dict(
            revenue=Decimal(3000 + 100 * n),
            tax=Decimal(20 + 7 * n),
            value_added=Decimal(600 + 40 * n),
            energy_tce=Decimal(200 + 3 * n),
            emission_equivalent=Decimal(2 + n),
            rd_spending=Decimal(30 + n),
            employees=50 + n,
            electricity_10k_kwh=Decimal(100 + n),
        )
        figures.update(overrides)
        EnterpriseYearFactory(enterprise=e, year=year, **figures)
    return e


@pytest.fixture
def firms(county: Any) -> list[Any]:
    out = [_firm(county.town_a if n % 2 else county.town_b, n) for n in range(1, 21)]
    out.append(_firm(county.town_a, 21, tax=None))  # cannot be evaluated: no tax
    young = _firm(county.town_a, 22)
    young.founded_on = dt.date(2025, 3, 1)
    young.save()
    from zhaoshang.enterprises.services import refresh_scale

    refresh_scale()
    return out + [young]


@pytest.fixture
def scheme(county: Any, firms: list[Any]) -> Any:
    coordinator = principal_for(county.coordinator)
    return services.scheme_create(
        coordinator,
        name="",
        year=2025,
        unit=county.county,
        definition=services.shipped_definitions()["above_scale"],
    )


def test_a_run_is_frozen_audited_and_explained(county: Any, scheme: Any) -> None:
    coordinator = principal_for(county.coordinator)
    run = runner.run_evaluation(coordinator, scheme, notice_days=7)
    assert run.counts["listed"] == 22
    assert run.counts["grades"]["X"] == 1 and run.counts["grades"]["T"] == 1
    # 20 graded: A 4, B 8, C 7, D 1 (20 × 5% = 1)
    assert [run.counts["grades"][g] for g in "ABCD"] == [4, 8, 7, 1]
    results = {
        r.enterprise.name: r for r in EvaluationResult.objects.filter(run=run).select_related("enterprise")
    }
    assert results["评价企业21"].reason == "缺少数据：亩均税收"
    assert "投产不满" in results["评价企业22"].reason
    top = results["评价企业20"]
    assert top.rank == 1 and top.grade == "A"
    # the score is the sum of the stored points, so the score card adds up
    assert sum(top.detail["points"]) == pytest.approx(float(top.score), abs=1e-4)
    event = AuditEvent.objects.filter(target_type="evaluation.evaluation", target_id=str(run.pk)).get()
    assert event.after["input_digest"] == run.input_digest
    # changing the scheme later does not touch the run's copy of the method
    definition = dict(scheme.definition, name="改过的方案")
    definition["indicators"] = [dict(definition["indicators"][0], weight=99)] + definition["indicators"][1:]
    services.scheme_update(coordinator, scheme, name=scheme.name, definition=definition)
    run.refresh_from_db()
    assert run.method["indicators"][0]["weight"] == 30 and scheme.version == 2
    assert audit.verify().ok


def test_a_rerun_is_a_new_version_and_the_old_one_is_kept(county: Any, scheme: Any) -> None:
    coordinator = principal_for(county.coordinator)
    first = runner.run_evaluation(coordinator, scheme)
    second = runner.run_evaluation(coordinator, scheme, note="更正税收后重新评价")
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.status == Evaluation.Status.SUPERSEDED
    assert EvaluationResult.objects.filter(run=first).count() == 22  # nothing deleted
    assert first.input_digest == second.input_digest  # same inputs, same digest


def test_objection_then_publication(county: Any, scheme: Any) -> None:
    coordinator = principal_for(county.coordinator)
    run = runner.run_evaluation(coordinator, scheme)
    worst = EvaluationResult.objects.filter(run=run, grade="D").select_related("enterprise", "run").get()
    worst.enterprise.users.add(county.enterprise)
    owner = principal_for(county.enterprise)
    objection = services.objection_file(owner, worst, text="我司 2025 年税收应含 12 月补缴部分。")
    with pytest.raises(ValidationError, match="还有 1 条异议未处理"):
        services.run_publish(coordinator, run, early_reason="县政府要求提前发布")
    with pytest.raises(ValidationError, match="处理意见：必须填写"):
        services.objection_resolve(coordinator, objection, upheld=False, resolution=" ")
    services.objection_resolve(
        coordinator, objection, upheld=False, resolution="补缴税款属 2026 年度，维持原结果。"
    )
    with pytest.raises(ValidationError, match="提前发布须写明原因"):
        services.run_publish(coordinator, run)
    services.run_publish(coordinator, run, early_reason="县政府要求提前发布")
    run.refresh_from_db()
    assert run.status == Evaluation.Status.PUBLISHED
    with pytest.raises(ValidationError, match="只能在公示期内"):
        services.objection_file(owner, worst, text="再提一次")


def test_who_may_do_what(county: Any, scheme: Any, firms: list[Any]) -> None:
    with pytest.raises(PermissionDenied):
        runner.run_evaluation(principal_for(county.staff_a), scheme)
    run = runner.run_evaluation(principal_for(county.coordinator), scheme)
    other = EvaluationResult.objects.filter(run=run, enterprise__town=county.town_b).first()
    with pytest.raises(PermissionDenied):  # town A staff cannot object for a town B enterprise
        services.objection_file(principal_for(county.staff_a), other, text="异议")
    objection = services.objection_file(principal_for(county.staff_b), other, text="代企业提出异议")
    with pytest.raises(PermissionDenied):
        services.objection_resolve(principal_for(county.staff_b), objection, upheld=True, resolution="成立")
    assert Objection.objects.count() == 1


def test_pages_are_scoped_and_bounded(client: Any, county: Any, scheme: Any) -> None:
    run = runner.run_evaluation(principal_for(county.coordinator), scheme)
    client.force_login(county.staff_a)
    page = client.get(f"/evaluation/runs/{run.pk}/")
    assert page.status_code == 200
    shown = {r.enterprise.town_id for r in page.context["page"]}
    assert shown == {county.town_a.pk}  # a town sees the county's evaluation, but only its own firms
    b_result = EvaluationResult.objects.filter(run=run, enterprise__town=county.town_b).first()
    assert client.get(f"/evaluation/results/{b_result.pk}/").status_code == 404
    client.force_login(county.coordinator)
    for tab in ("ranking", "aggregates", "measures", "land"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/evaluation/runs/{run.pk}/?tab={tab}").status_code == 200
        assert len(queries) <= 16, (tab, len(queries))
    a_result = EvaluationResult.objects.filter(run=run).order_by("rank").first()
    with CaptureQueriesContext(connection) as queries:
        card = client.get(f"/evaluation/results/{a_result.pk}/")
    assert card.status_code == 200 and len(queries) <= 20
    assert "得分明细" in card.content.decode()


def test_export_has_every_sheet_and_the_ranking(client: Any, county: Any, scheme: Any) -> None:
    run = runner.run_evaluation(principal_for(county.coordinator), scheme)
    client.force_login(county.coordinator)
    response = client.get(f"/evaluation/runs/{run.pk}/?format=xlsx")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == [
        "排名",
        "分类分布",
        "园区汇总",
        "乡镇汇总",
        "行业汇总",
        "差别化措施",
        "低效用地",
    ]
    ranking = list(book["排名"].iter_rows(values_only=True))
    assert ranking[0][:3] == ("排名", "企业名称", "统一社会信用代码") and len(ranking) == 23
    assert ranking[1][1] == "评价企业20"


def test_a_bad_scheme_is_refused_with_every_problem_named(client: Any, county: Any, scheme: Any) -> None:
    client.force_login(county.coordinator)
    text = '{"covers": "above", "indicators": [{"label": "亩均税收", "numerator": "tax", "denominator": "land", "weight": 0}]}'
    page = client.post(f"/evaluation/schemes/{scheme.pk}/", {"name": "新名称", "definition": text})
    assert page.status_code == 200
    body = page.content.decode()
    assert "指标 1（亩均税收）的权重：必须大于 0" in body
    assert "&quot;weight&quot;: 0" in body  # what was typed is still there
    page = client.post(f"/evaluation/schemes/{scheme.pk}/", {"name": "新名称", "definition": "{oops"})
    assert "格式有误" in page.content.decode()
    scheme.refresh_from_db()
    assert scheme.version == 1 and scheme.name != "新名称"


def test_an_enterprise_sees_its_own_card_and_may_object(
    client: Any, county: Any, scheme: Any, firms: list[Any]
) -> None:
    run = runner.run_evaluation(principal_for(county.coordinator), scheme)
    own = firms[4]
    own.users.add(county.enterprise)
    client.force_login(county.enterprise)
    assert [r.pk for r in client.get("/evaluation/").context["runs"]] == [run.pk]
    ranking = client.get(f"/evaluation/runs/{run.pk}/")
    assert [r.enterprise_id for r in ranking.context["page"]] == [own.pk]
    mine = EvaluationResult.objects.get(run=run, enterprise=own)
    card = client.get(f"/evaluation/results/{mine.pk}/")
    assert card.context["can_object"] and not card.context["can_resolve"]
    detail = client.get(f"/enterprises/{own.pk}/")
    assert f"/evaluation/results/{mine.pk}/" in detail.content.decode()
    response = client.post(
        f"/evaluation/results/{mine.pk}/objections/", {"text": "用地面积应为 12 亩"}, follow=True
    )
    assert "异议已登记" in response.content.decode()


def test_aggregates_are_ratios_of_totals(client: Any, county: Any, scheme: Any) -> None:
    run = runner.run_evaluation(principal_for(county.coordinator), scheme)
    client.force_login(county.coordinator)
    page = client.get(f"/evaluation/runs/{run.pk}/?tab=aggregates")
    total = page.context["scope_total"]
    rows = EvaluationResult.objects.filter(
        run=run, land_mu__gt=0, tax__isnull=False, value_added__isnull=False
    )
    tax = sum(r.tax for r in rows)
    land = sum(r.land_mu for r in rows)
    assert total.tax_per_mu == (tax / land).quantize(Decimal("0.01"))
