"""A wrong yearly figure put right with a trace: corrected with a reason, or withdrawn from every count."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.enterprises import selectors, services
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear
from zhaoshang.enterprises.tests.factories import EnterpriseFactory, EnterpriseYearFactory
from zhaoshang.org.principal import principal_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm(county: Any) -> Enterprise:
    e = EnterpriseFactory(name="甲镇水泥有限公司", town=county.town_a)
    EnterpriseYearFactory(enterprise=e, year=2024, revenue=Decimal("1800"), tax=Decimal("40"))
    EnterpriseYearFactory(enterprise=e, year=2025, revenue=Decimal("2600"), tax=Decimal("80"))
    services.refresh_scale([e.pk])
    return Enterprise.objects.get(pk=e.pk)


def _year(firm: Enterprise, year: int) -> EnterpriseYear:
    return EnterpriseYear.objects.get(enterprise=firm, year=year)


def test_a_withdrawn_year_leaves_every_count_and_stays_on_record(county: Any, firm: Enterprise) -> None:
    assert firm.above_scale  # from 2025's 2,600 万元
    row = _year(firm, 2025)
    services.year_withdraw(by=principal_for(county.staff_a), row=row, reason="重复填报，应为 2024 年数字")
    assert list(firm.years.values_list("year", flat=True)) == [2024]
    assert not EnterpriseYear.objects.filter(pk=row.pk).exists()
    kept = EnterpriseYear.all_rows.get(pk=row.pk)
    assert (
        kept.withdrawn_by == county.staff_a
        and kept.withdraw_reason == "2025 年度指标：重复填报，应为 2024 年数字"
    )
    assert kept.state_label == "已撤回" and kept.revenue == Decimal("2600")
    # The enterprise's 规上 flag falls back to its latest current year (2024: 1,800 万元).
    assert not Enterprise.objects.get(pk=firm.pk).above_scale
    event = audit.history(kept)[0]
    assert event.action == AuditEvent.Action.TRANSITION and event.reason.startswith("撤回：2025 年度指标")
    # The year may be entered anew; the withdrawn row stays beside it.
    services.year_save(
        by=principal_for(county.staff_a), enterprise=firm, year=2025, data={"revenue": Decimal("2100")}
    )
    assert EnterpriseYear.all_rows.filter(enterprise=firm, year=2025).count() == 2
    assert _year(firm, 2025).revenue == Decimal("2100")


def test_who_may_withdraw(county: Any, firm: Enterprise) -> None:
    row = _year(firm, 2025)
    for outsider in (county.staff_b, county.enterprise, county.leader):
        with pytest.raises(PermissionDenied):
            services.year_withdraw(by=principal_for(outsider), row=row, reason="不对")
    with pytest.raises(ValidationError, match="原因：更正或撤回必须填写原因"):
        services.year_withdraw(by=principal_for(county.coordinator), row=row, reason="  ")
    services.year_withdraw(by=principal_for(county.coordinator), row=row, reason="企业自报有误")
    with pytest.raises(ValidationError, match="撤回或更正，不能再改"):
        services.year_withdraw(by=principal_for(county.coordinator), row=row, reason="再撤一次")


def test_a_correction_needs_a_reason_and_keeps_the_old_figure_in_the_history(
    county: Any, firm: Enterprise
) -> None:
    staff = principal_for(county.staff_a)
    with pytest.raises(ValidationError, match="修改原因：2025 年度指标已录入，更正须填写原因"):
        services.year_save(by=staff, enterprise=firm, year=2025, data={"tax": Decimal("85")})
    assert _year(firm, 2025).tax == Decimal("80")
    # Saving the same figures again is no correction: no reason asked.
    services.year_save(by=staff, enterprise=firm, year=2025, data={"tax": Decimal("80")})
    services.year_save(
        by=staff, enterprise=firm, year=2025, data={"tax": Decimal("85")}, reason="税务局核定数"
    )
    row = _year(firm, 2025)
    assert row.tax == Decimal("85")
    event = audit.history(row)[0]
    assert event.reason == "更正 2025 年度指标：税务局核定数"
    assert event.before["tax"] == "80.0000" and event.after["tax"] == "85.0000"


def test_the_page_opens_a_year_to_correct_with_its_figures(
    client: Any, county: Any, firm: Enterprise
) -> None:
    client.force_login(county.staff_a)
    page = client.get(f"/enterprises/{firm.pk}/?year=2025")
    form = page.context["year_form"]
    assert (form["year"].value(), form["revenue"].value(), form["tax"].value()) == (2025, "2600", "80")
    assert 'href="?year=2025#year-form"' in page.content.decode()
    assert client.get(f"/enterprises/{firm.pk}/?year=1999").context["year_form"]["year"].value() is None


def test_the_evaluation_input_reads_no_withdrawn_year(county: Any, firm: Enterprise) -> None:
    from zhaoshang.evaluation import runner
    from zhaoshang.evaluation.method import parse

    method = _method(parse)
    frame, _places = runner.load_frame(county.county, 2025, method)
    at = list(frame.ids).index(firm.pk)
    assert frame.has_year[at] and frame.figures["tax"][at] == 80
    services.year_withdraw(by=principal_for(county.staff_a), row=_year(firm, 2025), reason="填错年份")
    frame, _places = runner.load_frame(county.county, 2025, method)
    at = list(frame.ids).index(firm.pk)
    assert not frame.has_year[at]


def _method(parse: Any) -> Any:
    from zhaoshang.evaluation.tests.test_engine import SCHEMES

    return parse(json.loads((SCHEMES / "above_scale.json").read_text("utf-8")))


def test_the_page_withdraws_a_year_and_shows_it_struck_out(
    client: Any, county: Any, firm: Enterprise
) -> None:
    row = _year(firm, 2025)
    client.force_login(county.staff_a)
    detail = client.get(f"/enterprises/{firm.pk}/").content.decode()
    assert f"/enterprises/{firm.pk}/years/{row.pk}/withdraw/" in detail
    page = client.get(f"/enterprises/{firm.pk}/years/{row.pk}/withdraw/").content.decode()
    assert "撤回 2025 年度指标" in page and "主营业务收入 2,600 万元" in page
    refused = client.post(f"/enterprises/{firm.pk}/years/{row.pk}/withdraw/", {"reason": ""})
    assert "撤回原因：这个字段是必填项。" in refused.content.decode()
    done = client.post(
        f"/enterprises/{firm.pk}/years/{row.pk}/withdraw/", {"reason": "重复填报"}, follow=True
    )
    body = done.content.decode()
    assert "2025 年度指标已撤回，原记录留档，各项统计不再计入。" in body
    assert "已撤回的年度指标" in body and "已撤回" in body and "2025 年度指标：重复填报" in body
    assert "撤回：2025 年度指标：重复填报" in body  # the enterprise's history box
    assert [
        y.year for y in selectors.enterprise_for_page(principal_for(county.staff_a), firm.pk).years.all()
    ] == [2024]
    # Another town's staff, and the enterprise's own account, cannot reach the form.
    client.force_login(county.staff_b)
    assert client.get(f"/enterprises/{firm.pk}/years/{row.pk}/withdraw/").status_code == 404
    client.force_login(county.enterprise)
    assert client.get(f"/enterprises/{firm.pk}/years/{row.pk}/withdraw/").status_code == 403
