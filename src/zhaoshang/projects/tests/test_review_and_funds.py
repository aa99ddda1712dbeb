"""Pre-review as the committee lives it, funds in place, the board's drag and the unit figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhaoshang.core import audit
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import rulebooks, services
from zhaoshang.projects.models import Review
from zhaoshang.projects.tests.helpers import COMMITTEE, make_project, signed_project

TODAY = timezone.localdate()
PROOF = ("bank_record", "进账单.pdf", b"%PDF-1.4")


def _in_review(county: Any, **extra: Any) -> Any:
    coordinator = principal_for(county.coordinator)
    p = make_project(county, county.coordinator, **extra)
    services.project_move(coordinator, p, "negotiating", on=TODAY)
    services.project_move(coordinator, p, "review", on=TODAY)
    return p


def test_submitting_runs_the_rules_and_the_committee_decides_within_them(county: Any) -> None:
    coordinator = principal_for(county.coordinator)
    p = _in_review(
        county,
        industry_code="3525",
        land_needed_mu=Decimal(25),
        planned_investment=Decimal(15000),
        promised_tax=Decimal(2500),
        promised_output=Decimal(80000),
        floor_area_ratio=Decimal("0.8"),
        energy_tce=Decimal(200),
    )
    review = Review.objects.get(project=p)
    failed = [v["key"] for v in review.verdicts if not v["passed"]]
    assert failed == ["min_floor_area_ratio"] and not review.vetoed
    assert review.score == Decimal("76.3") and review.suggestion == "conditional"
    with pytest.raises(ValidationError) as refused:
        services.review_record(coordinator, p, decision="conditional", notes="同意", votes=COMMITTEE[:2])
    assert refused.value.message_dict == {
        "conditions": ["通过条件：有条件通过须写明条件。"],
        "votes": ["委员表决：至少 3 名预审小组成员表决，现为 2 名。"],
    }
    against = [{**v, "vote": "reject"} for v in COMMITTEE[:2]] + COMMITTEE[2:]
    with pytest.raises(ValidationError, match="同意（含有条件同意）未过半数"):
        services.review_record(coordinator, p, decision="pass", notes="同意", votes=against)
    services.review_record(
        coordinator,
        p,
        decision="conditional",
        notes="同意引进",
        conditions="容积率提高到 1.0 以上",
        votes=COMMITTEE,
    )
    review.refresh_from_db()
    p.refresh_from_db()
    assert (review.decision, p.review_decision, review.conditions) == (
        "conditional",
        "conditional",
        "容积率提高到 1.0 以上",
    )
    with pytest.raises(ValidationError, match="本次预审已有结论"):
        services.review_record(coordinator, p, decision="pass", notes="再议", votes=COMMITTEE)


def test_a_vetoed_project_can_only_be_rejected_and_then_not_signed(county: Any) -> None:
    coordinator = principal_for(county.coordinator)
    p = _in_review(county, name="独立电镀项目", industry_code="3360", land_needed_mu=Decimal(30))
    review = Review.objects.get(project=p)
    assert review.vetoed and review.suggestion == "reject"
    with pytest.raises(ValidationError, match="触发一票否决.*高污染：独立电镀"):
        services.review_record(coordinator, p, decision="pass", notes="同意", votes=COMMITTEE)
    services.review_record(coordinator, p, decision="reject", notes="负面清单项目", votes=COMMITTEE)
    with pytest.raises(ValidationError, match="须通过预审"):
        services.project_move(
            coordinator,
            p,
            "signed",
            on=TODAY,
            supplied={"contract_amount": Decimal(1000)},
            evidence=[("agreement", "协议.pdf", b"%PDF")],
        )
    # A new review needs a new submission: back to talks, then review again, with a fresh record.
    services.project_move(coordinator, p, "negotiating", on=TODAY, opinion="调整建设内容")
    services.project_move(coordinator, p, "review", on=TODAY)
    assert Review.objects.filter(project=p).count() == 2
    p.refresh_from_db()
    assert p.review_decision == ""


def test_a_park_with_rules_of_its_own_reviews_by_them(county: Any) -> None:
    park = county.village_a  # a park under town A
    content = rulebooks.shipped("review") | {"thresholds": {"min_land_mu": 50}}
    rulebooks.rulebook_save(principal_for(county.coordinator), park, "review", content)
    p = _in_review(county, park=park, land_needed_mu=Decimal(30))
    land = next(v for v in Review.objects.get(project=p).verdicts if v["key"] == "min_land_mu")
    assert not land["passed"] and "用地不少于 50 亩" in land["reason"]


def test_funds_in_place_are_a_ledger_with_their_proof(county: Any) -> None:
    staff = principal_for(county.staff_a)
    unsigned = make_project(county, county.staff_a)
    with pytest.raises(ValidationError, match="项目签约后才能登记"):
        services.fund_arrival_add(
            staff,
            unsigned,
            on=TODAY,
            amount=Decimal(100),
            source="in_province",
            use="fixed_assets",
            proof=PROOF,
        )
    p = signed_project(county)
    with pytest.raises(ValidationError) as refused:
        services.fund_arrival_add(
            staff, p, on=TODAY, amount=Decimal(700), source="foreign", use="fixed_assets"
        )
    assert set(refused.value.message_dict) == {
        "currency",
        "foreign_amount",
        "exchange_rate",
        "rate_date",
        "proof",
    }
    services.fund_arrival_add(
        staff,
        p,
        on=TODAY,
        amount=Decimal("7100"),
        source="foreign",
        use="fixed_assets",
        currency="usd",
        foreign_amount=Decimal(1000),
        exchange_rate=Decimal("7.1"),
        rate_date=TODAY,
        proof=PROOF,
    )
    services.fund_arrival_add(
        staff,
        p,
        on=TODAY,
        amount=Decimal("900.5"),
        source="out_of_province",
        use="working_capital",
        proof=PROOF,
    )
    p.refresh_from_db()
    assert p.funds_in_place == Decimal("8000.5")
    foreign = p.fund_arrivals.get(source="foreign")
    assert (foreign.currency, foreign.proof.kind) == ("USD", "bank_record")
    assert audit.verify().ok


def test_a_dropped_card_moves_when_the_state_machine_allows(client: Any, county: Any) -> None:
    p = make_project(county, county.coordinator)
    client.force_login(county.staff_a)
    assert client.post(f"/projects/{p.pk}/board-move/", {"target": "negotiating"}).json()["ok"]
    refused = client.post(f"/projects/{p.pk}/board-move/", {"target": "signed"})
    assert refused.status_code == 409
    assert refused.json()["problems"] == ["阶段：不能从“洽谈”直接变为“签约”"]
    assert refused.json()["url"].endswith("?target=signed#move-form")
    client.force_login(county.staff_b)  # another town's project is not there to move
    assert client.post(f"/projects/{p.pk}/board-move/", {"target": "review"}).status_code == 404


def test_the_unit_figures_count_the_years_signings(client: Any, county: Any) -> None:
    coordinator = principal_for(county.coordinator)
    p = signed_project(county, land_needed_mu=Decimal(40))
    services.fund_arrival_add(
        coordinator, p, on=TODAY, amount=Decimal(7000), source="in_province", use="fixed_assets", proof=PROOF
    )
    services.project_move(
        coordinator,
        p,
        "land_supplied",
        on=TODAY,
        supplied={"land_area": Decimal(40)},
        evidence=[("land_contract", "出让合同.pdf", b"%PDF")],
    )
    signed_project(county, town=county.town_b, name="乙镇项目")
    client.force_login(county.coordinator)
    page = client.get(f"/projects/figures/?year={TODAY.year}")
    rows = {f.unit: f for f in page.context["units"]}
    a, total = rows[county.town_a.name], page.context["total"]
    assert (a.signed, a.contract_amount, a.funds, a.funding_rate) == (
        1,
        Decimal(28000),
        Decimal(7000),
        Decimal("25.0"),
    )
    assert (a.land_supplied, a.land_use_rate, a.start_rate) == (Decimal(40), Decimal("0.0"), Decimal("0.0"))
    assert (total.signed, total.contract_amount) == (2, Decimal(56000))
    services.project_move(
        coordinator,
        p,
        "started",
        on=TODAY,
        supplied={"start_date": TODAY},
        evidence=[("construction_permit", "施工许可证.pdf", b"%PDF")],
    )
    a = {f.unit: f for f in client.get(f"/projects/figures/?year={TODAY.year}").context["units"]}[
        county.town_a.name
    ]
    assert (a.started, a.start_rate, a.land_use_rate) == (1, Decimal("100.0"), Decimal("100.0"))
    client.force_login(county.staff_b)  # a town sees its own figures only
    assert [f.unit for f in client.get(f"/projects/figures/?year={TODAY.year}").context["units"]] == [
        county.town_b.name
    ]
    assert client.get(f"/projects/figures/?year={TODAY.year}&format=xlsx")["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_a_late_start_is_a_shortfall_on_the_project(client: Any, county: Any) -> None:
    coordinator = principal_for(county.coordinator)
    p = make_project(county, county.coordinator, promised_start=TODAY - dt.timedelta(days=400))
    services.project_move(coordinator, p, "negotiating", on=TODAY - dt.timedelta(days=500))
    services.project_move(coordinator, p, "review", on=TODAY - dt.timedelta(days=500))
    services.review_record(
        coordinator, p, decision="pass", notes="同意", votes=COMMITTEE, on=TODAY - dt.timedelta(days=490)
    )
    services.project_move(
        coordinator,
        p,
        "signed",
        on=TODAY - dt.timedelta(days=480),
        supplied={"contract_amount": Decimal(9000)},
        evidence=[("agreement", "协议.pdf", b"%PDF")],
    )
    client.force_login(county.coordinator)
    body = client.get(f"/projects/{p.pk}/").content.decode()
    assert "未履约" in body and "至今未开工（已逾期 400 天）" in body


def test_editing_a_project_changes_what_was_edited_and_audits_it(client: Any, county: Any) -> None:
    p = make_project(county, county.staff_a)
    client.force_login(county.staff_a)
    form = client.get(f"/projects/{p.pk}/edit/").context["form"]
    data = {
        k: v for k, v in form.initial.items() if v is not None and k not in ("member_units", "task_force")
    }
    data |= {"promised_start": "2027-03-01", "member_units": [county.town_a.pk], "town": county.town_a.pk}
    data |= {"lead_unit": county.town_a.pk, "responsible_leader": county.leader.pk}
    response = client.post(f"/projects/{p.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    p.refresh_from_db()
    assert p.promised_start == dt.date(2027, 3, 1) and list(p.member_units.all()) == [county.town_a]
    assert p.stage == "lead"
    with pytest.raises(ValidationError, match="不能在此修改：阶段"):
        services.project_update(principal_for(county.staff_a), p, stage="signed")
    changed = [e.after for e in audit.history(p)]
    assert any("promised_start" in (after or {}) for after in changed)
    assert any("member_units" in (after or {}) for after in changed)
