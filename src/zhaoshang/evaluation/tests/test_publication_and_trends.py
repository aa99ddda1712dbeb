"""The evaluation as the speeches and the county need it: upheld objections hold publication back,
the ranking's file is the page, 亩均产值 is an indicator, and parks, towns and industries over the years."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from zhaoshang.core.models import AuditEvent
from zhaoshang.enterprises.models import EnterpriseYear
from zhaoshang.evaluation import runner, services
from zhaoshang.evaluation.method import parse
from zhaoshang.evaluation.models import Evaluation, EvaluationResult, Objection, Scheme
from zhaoshang.org.principal import principal_for

EARLY = "县政府要求提前发布"


def _upheld(county: Any, run: Evaluation) -> Objection:
    worst = EvaluationResult.objects.filter(run=run, grade="D").select_related("enterprise", "run").first()
    assert worst is not None
    coordinator = principal_for(county.coordinator)
    objection = services.objection_file(coordinator, worst, text="税收少计了 12 月补缴部分。")
    services.objection_resolve(coordinator, objection, upheld=True, resolution="核实属实，更正税收。")
    return objection


# --- 1. an upheld objection blocks publication until the corrected data is evaluated -----------------


def test_an_upheld_objection_blocks_publication_until_a_rerun_with_corrected_data(
    county: Any, scheme: Scheme, run: Evaluation
) -> None:
    coordinator = principal_for(county.coordinator)
    objection = _upheld(county, run)
    name = objection.result.enterprise.name
    with pytest.raises(ValidationError, match=f"{name}的异议已成立"):
        services.run_publish(coordinator, run, early_reason=EARLY)
    # Evaluating again on the very same figures corrects nothing: still refused.
    same = runner.run_evaluation(coordinator, scheme, note="重新评价")
    assert same.input_digest == run.input_digest
    with pytest.raises(ValidationError, match=f"{name}的异议已成立"):
        services.run_publish(coordinator, same, early_reason=EARLY)
    # Correct the figure, evaluate again: the new version may be published.
    EnterpriseYear.objects.filter(enterprise=objection.result.enterprise, year=2025).update(tax=Decimal(90))
    corrected = runner.run_evaluation(coordinator, scheme, note="更正税收后重新评价")
    services.run_publish(coordinator, corrected, early_reason=EARLY)
    corrected.refresh_from_db()
    run.refresh_from_db()
    assert corrected.status == Evaluation.Status.PUBLISHED
    assert run.status == Evaluation.Status.SUPERSEDED


def test_the_block_is_shown_on_the_run_page(client: Any, county: Any, run: Evaluation) -> None:
    objection = _upheld(county, run)
    client.force_login(county.coordinator)
    page = client.get(f"/evaluation/runs/{run.pk}/").content.decode()
    assert 'id="publish-blocked"' in page and objection.result.enterprise.name in page
    response = client.post(f"/evaluation/runs/{run.pk}/publish/", {"early_reason": EARLY}, follow=True)
    assert f"{objection.result.enterprise.name}的异议已成立" in response.content.decode()
    run.refresh_from_db()
    assert run.status == Evaluation.Status.NOTICE


def test_reopening_an_upheld_objection_takes_a_reason_and_is_in_the_history(
    client: Any, county: Any, run: Evaluation
) -> None:
    coordinator = principal_for(county.coordinator)
    objection = _upheld(county, run)
    with pytest.raises(ValidationError, match="重新打开的原因：必须填写"):
        services.objection_reopen(coordinator, objection, reason=" ")
    client.force_login(county.coordinator)
    response = client.post(
        f"/evaluation/objections/{objection.pk}/reopen/",
        {"reason": "补缴凭证日期有误，重新核实", "next": f"/evaluation/runs/{run.pk}/"},
        follow=True,
    )
    assert "异议已重新打开" in response.content.decode()
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN
    event = AuditEvent.objects.filter(target_type="evaluation.objection", target_id=str(objection.pk)).latest(
        "seq"
    )
    assert event.reason == "重新打开：补缴凭证日期有误，重新核实"
    card = client.get(f"/evaluation/results/{objection.result_id}/").content.decode()
    assert 'id="history"' in card and "重新打开：补缴凭证日期有误，重新核实" in card
    history = card.split('id="history"')[1]
    assert "处理人" in history and "resolved" not in history and "filed" not in history
    with pytest.raises(ValidationError, match="还有 1 条异议未处理"):
        services.run_publish(coordinator, run, early_reason=EARLY)
    with pytest.raises(ValidationError, match="只有已成立的异议"):
        services.objection_reopen(coordinator, objection, reason="再开一次")
    services.objection_resolve(coordinator, objection, upheld=False, resolution="复核后维持原结果。")
    services.run_publish(coordinator, run, early_reason=EARLY)
    assert Evaluation.objects.get(pk=run.pk).status == Evaluation.Status.PUBLISHED


# --- 2. the ranking's file is the page ------------------------------------------------------------


def _sheet(response: Any, name: str) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book[name].iter_rows(values_only=True))


def test_the_ranking_export_follows_the_filters_and_reads_as_shown(
    client: Any, county: Any, run: Evaluation
) -> None:
    client.force_login(county.coordinator)
    page = client.get(f"/evaluation/runs/{run.pk}/?town={county.town_a.pk}&sort=-land_mu")
    shown = [r.enterprise.name for r in page.context["page"]]
    assert (
        f"town={county.town_a.pk}" in page.content.decode().split('id="export-link"')[0].rsplit("href=", 1)[1]
    )
    response = client.get(f"/evaluation/runs/{run.pk}/?town={county.town_a.pk}&sort=-land_mu&format=xlsx")
    ranking = _sheet(response, "排名")
    headers, rows = ranking[0], ranking[1:]
    assert [r[1] for r in rows] == shown and {r[3] for r in rows} == {county.town_a.name}
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("seq")
    assert event.after["筛选条件"] == f"乡镇：{county.town_a.name}"
    # As the page shows them: land, indicator values and the score to 2 places, points to 3.
    score_at, first_value = headers.index("总分"), headers.index("用地（亩）") + 3
    for row in rows:
        for at in (6, score_at, first_value):
            if row[at] is not None:
                assert Decimal(str(row[at])) == Decimal(str(row[at])).quantize(Decimal("0.01"))
        assert Decimal(str(row[first_value + 1])) == Decimal(str(row[first_value + 1])).quantize(
            Decimal("0.001")
        )
    stored = EvaluationResult.objects.get(run=run, enterprise__name=rows[0][1])
    assert Decimal(str(rows[0][score_at])) == stored.score.quantize(Decimal("0.01"))


def test_the_treatments_sheet_names_relief_and_surcharge(client: Any, county: Any, run: Evaluation) -> None:
    client.force_login(county.coordinator)
    measures = _sheet(client.get(f"/evaluation/runs/{run.pk}/?format=xlsx"), "差别化措施")
    headers, rows = measures[0], measures[1:]
    direction = headers.index("方向")
    by_lever = {(r[2], r[3]): r[direction] for r in rows}
    assert by_lever[("A", "城镇土地使用税")] == "减免"
    assert by_lever[("D", "差别化电价")] == "加收"
    assert {r[direction] for r in rows} <= {"减免", "加收"}
    amount = headers.index("年金额（万元）")
    assert all(r[amount] is None or Decimal(str(r[amount])).as_tuple().exponent >= -2 for r in rows)


# --- 3. 亩均产值 ---------------------------------------------------------------------------------


def test_output_per_mu_is_an_indicator_to_pick(client: Any, county: Any, firms: list[Any]) -> None:
    method = parse(
        {
            "indicators": [
                {"key": "output_per_mu", "weight": 100, "benchmark": {"kind": "constant", "value": 50}}
            ],
            "grading": {"kind": "share", "shares": {"A": 20, "B": 40, "C": 35, "D": 5}},
        }
    )
    indicator = method.indicators[0]
    assert (indicator.label, indicator.numerator, indicator.denominator, indicator.unit) == (
        "亩均产值",
        "output_value",
        "land",
        "万元/亩",
    )
    definition = services.shipped_definitions()["above_scale"]
    definition["indicators"].append(
        {"key": "output_per_mu", "weight": 10, "benchmark": {"kind": "constant", "value": 60}}
    )
    scheme = services.scheme_create(
        principal_for(county.coordinator),
        name="含亩均产值",
        year=2025,
        unit=county.county,
        definition=definition,
    )
    run = runner.run_evaluation(principal_for(county.coordinator), scheme)
    result = EvaluationResult.objects.filter(run=run, grade="A").select_related("enterprise").first()
    output = EnterpriseYear.objects.get(enterprise=result.enterprise, year=2025).output_value
    assert result.detail["values"][-1] == pytest.approx(float(output / result.land_mu), rel=1e-6)
    client.force_login(county.coordinator)
    assert "亩均产值" in client.get(f"/evaluation/schemes/{scheme.pk}/").content.decode()
    ranking = client.get(f"/evaluation/runs/{run.pk}/").content.decode()
    assert "亩均产值" in ranking


# --- 4. parks, towns and industries over the years --------------------------------------------------


def test_towns_and_the_trend_over_published_years(
    client: Any, county: Any, scheme: Scheme, django_assert_max_num_queries: Any
) -> None:
    coordinator = principal_for(county.coordinator)
    last_year = services.scheme_copy(coordinator, scheme, year=2024)
    published = runner.run_evaluation(coordinator, last_year)
    services.run_publish(coordinator, published, early_reason=EARLY)
    run = runner.run_evaluation(coordinator, scheme)
    client.force_login(county.coordinator)
    with django_assert_max_num_queries(18):
        page = client.get(f"/evaluation/runs/{run.pk}/?tab=aggregates&trend=town")
    body = page.content.decode()
    towns = {a.label: a for a in page.context["by_town"]}
    assert set(towns) == {county.town_a.name, county.town_b.name}
    assert 'id="town-table"' in body and 'id="trend-chart"' in body and 'id="trend-table"' in body
    assert page.context["trend_years"] == [2024, 2025]
    trend = dict(page.context["trend_rows"])
    this_year = trend[county.town_a.name][1]
    assert this_year.tax_per_mu == towns[county.town_a.name].tax_per_mu
    graded = sum(this_year.grades.values())
    top = this_year.grades["A"] + this_year.grades["B"]
    assert this_year.top_share == (Decimal(100 * top) / graded).quantize(Decimal("0.1"))
    for by in ("park", "industry"):
        other = client.get(f"/evaluation/runs/{run.pk}/?tab=aggregates&trend={by}&measure=top_share")
        assert other.status_code == 200 and other.context["trend_rows"]
    # More published years cost no more queries.
    earlier = services.scheme_copy(coordinator, scheme, year=2023)
    for e in firms_of(run):
        EnterpriseYear.objects.get_or_create(enterprise=e, year=2023, defaults={**figures_of(e, 2024)})
    services.run_publish(coordinator, runner.run_evaluation(coordinator, earlier), early_reason=EARLY)
    with django_assert_max_num_queries(18):
        page = client.get(f"/evaluation/runs/{run.pk}/?tab=aggregates&trend=town")
    assert page.context["trend_years"] == [2023, 2024, 2025]


def firms_of(run: Evaluation) -> list[Any]:
    return [r.enterprise for r in EvaluationResult.objects.filter(run=run).select_related("enterprise")]


def figures_of(enterprise: Any, year: int) -> dict[str, Any]:
    row = EnterpriseYear.objects.filter(enterprise=enterprise, year=year).values().get()
    return {k: v for k, v in row.items() if k not in ("id", "enterprise_id", "year")}
