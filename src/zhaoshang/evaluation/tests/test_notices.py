"""Evaluation events reach the people concerned: objections to the coordinators, outcomes to firms."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.core.models import Notification
from zhaoshang.core.roles import Role
from zhaoshang.evaluation import notices, services
from zhaoshang.evaluation.models import Evaluation, EvaluationResult
from zhaoshang.org.principal import principal_for
from zhaoshang.org.tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _result(run: Evaluation, owner: Any) -> EvaluationResult:
    result = (
        EvaluationResult.objects.filter(run=run).select_related("enterprise", "run").order_by("pk").first()
    )
    assert result is not None
    result.enterprise.users.add(owner)
    return result


def test_an_objection_reaches_the_runs_coordinators_and_its_outcome_the_enterprise(
    county: Any, run: Evaluation
) -> None:
    elsewhere = UserFactory()  # a coordinator of another county hears nothing
    MembershipFactory(user=elsewhere, unit=UnitFactory(name="外县"), role=Role.COORDINATOR)
    result = _result(run, county.enterprise)
    objection = services.objection_file(
        principal_for(county.enterprise), result, text="税收漏计了 12 月补缴。"
    )
    (filed,) = Notification.objects.filter(kind=notices.FILED)
    assert filed.recipient == county.coordinator
    assert filed.title == f"{result.enterprise} 对“{run}”的结果提出异议"
    assert filed.link == f"/evaluation/results/{result.pk}/" and filed.body == "税收漏计了 12 月补缴。"
    services.objection_resolve(
        principal_for(county.coordinator), objection, upheld=False, resolution="补缴属下一年度，维持原结果。"
    )
    (resolved,) = Notification.objects.filter(kind=notices.RESOLVED)
    assert resolved.recipient == county.enterprise
    assert resolved.title == f"您对“{run}”结果的异议：异议不成立"
    assert resolved.body == "补缴属下一年度，维持原结果。"


def test_publishing_tells_each_enterprise_its_grade_in_bulk(county: Any, run: Evaluation) -> None:
    results = list(EvaluationResult.objects.filter(run=run).select_related("enterprise").order_by("pk"))
    accounts = []
    for r in results:
        account = UserFactory()
        r.enterprise.users.add(account)
        accounts.append(account)
    results[0].enterprise.users.add(UserFactory(is_active=False))  # a closed account hears nothing
    with CaptureQueriesContext(connection) as queries:
        services.run_publish(principal_for(county.coordinator), run, early_reason="县政府要求提前发布")
    sent = Notification.objects.filter(kind=notices.PUBLISHED)
    assert sent.count() == len(results)
    first = sent.get(recipient=accounts[0])
    assert first.link == f"/evaluation/results/{results[0].pk}/"
    assert first.title.startswith(f"“{run}”已发布：{results[0].enterprise.name} 为 ")
    assert "类（" in first.title  # the grade in words, never the bare letter
    inserts = [
        q
        for q in queries.captured_queries
        if q["sql"].startswith("INSERT") and '"core_notification"' in q["sql"]
    ]
    assert len(inserts) == 1  # one bulk insert for every enterprise, no query per enterprise
    # the sending's queries: who turned it off, the accounts (streamed), the high water, the insert, the count
    sending = [
        q
        for q in queries.captured_queries
        if "core_notification" in q["sql"] or "enterprise_users" in q["sql"]
    ]
    assert len(sending) <= 5 < len(results)


def test_run_coordinators_are_those_of_the_runs_jurisdiction(county: Any, run: Evaluation) -> None:
    gone = UserFactory(is_active=False)
    MembershipFactory(user=gone, unit=county.bureau, role=Role.COORDINATOR)
    assert notices.run_coordinators(run) == [county.coordinator.pk]
