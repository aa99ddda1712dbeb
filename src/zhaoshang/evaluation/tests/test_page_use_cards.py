"""The 亩均 pages as the investment bureau, a town and an enterprise use them, through the test client. The score card, objections, publishing and facts."""

from __future__ import annotations

from typing import Any

import pytest

from zhaoshang.evaluation import services
from zhaoshang.evaluation.models import Evaluation, EvaluationResult, Objection, YearFact
from zhaoshang.org.principal import principal_for

from .conftest import _text

pytestmark = pytest.mark.django_db


def test_the_score_card_explains_the_score(client: Any, county: Any, run: Evaluation) -> None:
    top = EvaluationResult.objects.get(run=run, rank=1)
    client.force_login(county.coordinator)
    card = client.get(f"/evaluation/results/{top.pk}/")
    body = _text(card)
    assert top.enterprise.name in body and "得分明细：为什么是这个分数" in body
    assert "亩均税收" in body and "历年评价" in body
    lines = card.context["lines"]
    assert len(lines) == len(run.method["indicators"])
    assert sum(line["points"] for line in lines) == pytest.approx(float(top.score), abs=1e-3)
    assert card.context["can_resolve"] and card.context["can_edit_facts"]
    assert "没有异议。" in body


def test_a_town_cannot_open_another_towns_score_card(client: Any, county: Any, run: Evaluation) -> None:
    other = EvaluationResult.objects.filter(run=run, enterprise__town=county.town_b).first()
    client.force_login(county.staff_a)
    assert client.get(f"/evaluation/results/{other.pk}/").status_code == 404
    assert client.post(f"/evaluation/results/{other.pk}/objections/", {"text": "代为异议"}).status_code == 404
    assert (
        client.post(f"/evaluation/results/{other.pk}/facts/", {"kind": "accident", "count": 1}).status_code
        == 404
    )
    assert not Objection.objects.exists() and not YearFact.objects.exists()


def test_an_enterprise_objects_and_an_empty_objection_is_refused(
    client: Any, county: Any, run: Evaluation
) -> None:
    mine = EvaluationResult.objects.filter(run=run).select_related("enterprise").order_by("-rank").first()
    mine.enterprise.users.add(county.enterprise)
    client.force_login(county.enterprise)
    card = _text(client.get(f"/evaluation/results/{mine.pk}/"))
    assert "对评价结果有异议（公示期内）" in card
    empty = client.post(f"/evaluation/results/{mine.pk}/objections/", {"text": ""}, follow=True)
    assert "异议内容：必须填写，且不超过 2000 字。" in _text(empty)
    blank = client.post(f"/evaluation/results/{mine.pk}/objections/", {"text": "   "}, follow=True)
    assert "异议内容：必须填写" in _text(blank)
    assert not Objection.objects.exists()
    filed = client.post(
        f"/evaluation/results/{mine.pk}/objections/", {"text": "用地面积应扣除出租部分"}, follow=True
    )
    assert "异议已登记，处理结果会在本页显示。" in _text(filed)
    assert "用地面积应扣除出租部分" in _text(filed)
    objection = Objection.objects.get()
    assert objection.filed_by == county.enterprise and objection.status == Objection.Status.OPEN


def test_an_enterprise_may_not_resolve_publish_or_record_facts(
    client: Any, county: Any, run: Evaluation
) -> None:
    mine = EvaluationResult.objects.filter(run=run).select_related("enterprise").first()
    mine.enterprise.users.add(county.enterprise)
    objection = services.objection_file(principal_for(county.enterprise), mine, text="异议")
    client.force_login(county.enterprise)
    resolve = client.post(
        f"/evaluation/objections/{objection.pk}/resolve/", {"decision": "upheld", "resolution": "自己说成立"}
    )
    assert resolve.status_code == 403
    assert client.post(f"/evaluation/runs/{run.pk}/publish/", {"early_reason": "急"}).status_code == 403
    assert (
        client.post(f"/evaluation/results/{mine.pk}/facts/", {"kind": "tenants", "count": 2}).status_code
        == 403
    )
    objection.refresh_from_db()
    run.refresh_from_db()
    assert objection.status == Objection.Status.OPEN and run.status == Evaluation.Status.NOTICE


def test_resolving_an_objection(client: Any, county: Any, run: Evaluation) -> None:
    result = EvaluationResult.objects.filter(run=run, enterprise__town=county.town_a).first()
    objection = services.objection_file(principal_for(county.staff_a), result, text="税收漏计 12 月")
    client.force_login(county.coordinator)
    url = f"/evaluation/objections/{objection.pk}/resolve/"
    empty = client.post(url, {"decision": "upheld", "resolution": ""}, follow=True)
    assert empty.redirect_chain[-1][0] == f"/evaluation/results/{result.pk}/"
    assert "处理意见：必须填写。" in _text(empty)
    done = client.post(
        url,
        {"decision": "upheld", "resolution": "已补录 12 月税收", "next": f"/evaluation/runs/{run.pk}/"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == f"/evaluation/runs/{run.pk}/"
    assert "异议已处理。请更正数据后重新评价，新结果将作为新版本公示。" in _text(done)
    objection.refresh_from_db()
    assert objection.status == Objection.Status.UPHELD and objection.resolution == "已补录 12 月税收"
    again = client.post(url, {"decision": "rejected", "resolution": "再处理一次"}, follow=True)
    assert "这条异议已经处理过了。" in _text(again)
    objection.refresh_from_db()
    assert objection.status == Objection.Status.UPHELD


def test_a_rejected_objection_and_a_next_outside_evaluation(
    client: Any, county: Any, run: Evaluation
) -> None:
    result = EvaluationResult.objects.filter(run=run).first()
    objection = services.objection_file(principal_for(county.coordinator), result, text="异议")
    client.force_login(county.coordinator)
    response = client.post(
        f"/evaluation/objections/{objection.pk}/resolve/",
        {"decision": "rejected", "resolution": "数据无误，维持原结果", "next": "https://example.com/"},
    )
    assert response.status_code == 302 and response.url == "/evaluation/"
    objection.refresh_from_db()
    assert objection.status == Objection.Status.REJECTED
    missing = client.post(
        "/evaluation/objections/999999/resolve/", {"decision": "rejected", "resolution": "x"}
    )
    assert missing.status_code == 302 and missing.url == "/evaluation/"


def test_a_town_may_not_resolve_objections(client: Any, county: Any, run: Evaluation) -> None:
    result = EvaluationResult.objects.filter(run=run, enterprise__town=county.town_a).first()
    objection = services.objection_file(principal_for(county.staff_a), result, text="异议")
    client.force_login(county.staff_a)
    response = client.post(
        f"/evaluation/objections/{objection.pk}/resolve/", {"decision": "upheld", "resolution": "成立"}
    )
    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN


def test_publishing_waits_for_objections_and_an_early_reason(
    client: Any, county: Any, run: Evaluation
) -> None:
    result = EvaluationResult.objects.filter(run=run).first()
    objection = services.objection_file(principal_for(county.coordinator), result, text="异议")
    client.force_login(county.coordinator)
    url = f"/evaluation/runs/{run.pk}/publish/"
    blocked = client.post(url, {"early_reason": "县政府要求"}, follow=True)
    assert "还有 1 条异议未处理，处理完后才能发布。" in _text(blocked)
    services.objection_resolve(principal_for(county.coordinator), objection, upheld=False, resolution="维持")
    early = client.post(url, {"early_reason": ""}, follow=True)
    assert "提前发布须写明原因" in _text(early) and f"{run.notice_until:%Y-%m-%d}" in _text(early)
    run.refresh_from_db()
    assert run.status == Evaluation.Status.NOTICE
    done = client.post(url, {"early_reason": "县政府常务会议要求提前发布"}, follow=True)
    assert done.redirect_chain[-1][0] == f"/evaluation/runs/{run.pk}/"
    assert "已发布：" in _text(done)
    run.refresh_from_db()
    assert run.status == Evaluation.Status.PUBLISHED and run.published_at is not None
    twice = client.post(url, {"early_reason": "再发一次"}, follow=True)
    assert "只有公示中的评价结果可以发布。" in _text(twice)
    late = client.post(f"/evaluation/results/{result.pk}/objections/", {"text": "迟到的异议"}, follow=True)
    assert "只能在公示期内对评价结果提出异议。" in _text(late)


def test_the_card_names_who_resolved_the_objection(client: Any, county: Any, run: Evaluation) -> None:
    result = EvaluationResult.objects.filter(run=run).first()
    objection = services.objection_file(principal_for(county.coordinator), result, text="异议")
    client.force_login(county.coordinator)
    client.post(
        f"/evaluation/objections/{objection.pk}/resolve/",
        {"decision": "rejected", "resolution": "维持原结果"},
    )
    card = _text(client.get(f"/evaluation/results/{result.pk}/"))
    assert "处理意见：维持原结果（coordinator " in card
    objection.refresh_from_db()
    assert objection.resolved_by == county.coordinator


def test_the_run_page_names_who_published(client: Any, county: Any, run: Evaluation) -> None:
    client.force_login(county.coordinator)
    client.post(f"/evaluation/runs/{run.pk}/publish/", {"early_reason": "县政府要求提前发布"})
    page = _text(client.get(f"/evaluation/runs/{run.pk}/"))
    assert "由 coordinator 发布" in page
    run.refresh_from_db()
    assert run.published_by == county.coordinator


def test_a_town_may_not_publish(client: Any, county: Any, run: Evaluation) -> None:
    client.force_login(county.staff_a)
    assert client.post(f"/evaluation/runs/{run.pk}/publish/", {"early_reason": "急"}).status_code == 403
    run.refresh_from_db()
    assert run.status == Evaluation.Status.NOTICE


def test_recording_a_fact_for_the_next_run(client: Any, county: Any, run: Evaluation) -> None:
    result = EvaluationResult.objects.filter(run=run, enterprise__town=county.town_a).first()
    client.force_login(county.staff_a)
    url = f"/evaluation/results/{result.pk}/facts/"
    bad = client.post(url, {"kind": "flood", "count": -1}, follow=True)
    assert bad.redirect_chain[-1][0] == f"/evaluation/results/{result.pk}/"
    body = _text(bad)
    assert "情形：" in body and "次数 / 家数（0 表示清除）：" in body
    assert not YearFact.objects.exists()
    done = client.post(url, {"kind": "accident", "count": 2, "note": "应急管理局通报"}, follow=True)
    assert "已保存。重新评价后计入得分。" in _text(done)
    fact = YearFact.objects.get()
    assert (fact.enterprise, fact.year, fact.kind, fact.count) == (result.enterprise, 2025, "accident", 2)
    assert "应急管理局通报" in _text(done)


def test_pages_answer_only_to_the_right_method(client: Any, county: Any, run: Evaluation) -> None:
    result = EvaluationResult.objects.filter(run=run).first()
    client.force_login(county.coordinator)
    assert client.get(f"/evaluation/runs/{run.pk}/publish/").status_code == 405
    assert client.get(f"/evaluation/results/{result.pk}/objections/").status_code == 405
    assert client.get("/evaluation/schemes/new/").status_code == 405
