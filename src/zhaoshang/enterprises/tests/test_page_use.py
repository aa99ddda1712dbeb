"""The enterprise registry as a town's staff, a leader and an enterprise use it: list, card, forms."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from zhaoshang.core.models import AuditEvent
from zhaoshang.core.roles import Role
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear
from zhaoshang.enterprises.tests.factories import EnterpriseFactory, EnterpriseYearFactory, make_uscc
from zhaoshang.org.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def firms(county: Any) -> dict[str, Any]:
    a = EnterpriseFactory(
        name="甲镇水泥有限公司",
        town=county.town_a,
        industry_code="3011",
        contact_person="王伟",
        contact_phone="13812345678",
        land_owned_mu=Decimal("30"),
    )
    EnterpriseYearFactory(enterprise=a, year=2024, revenue=Decimal("2500"), tax=Decimal("80"))
    EnterpriseYearFactory(enterprise=a, year=2025, revenue=Decimal("2600"), tax=None)
    b = EnterpriseFactory(name="乙镇纸箱厂", town=county.town_b, industry_code="2231")
    return {"a": a, "b": b}


def _form(county: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "uscc": make_uscc(701),
        "name": "甲镇新型建材有限公司",
        "industry_code": "3021",
        "town": county.town_a.pk,
        "status": "operating",
        "land_owned_mu": "12.5",
    }
    return {**data, **overrides}


# --- the list ---------------------------------------------------------------------------------------------


def test_a_town_lists_only_its_own_enterprises(client: Any, county: Any, firms: dict[str, Any]) -> None:
    client.force_login(county.staff_a)
    page = client.get("/enterprises/")
    body = _text(page)
    assert "甲镇水泥有限公司" in body and "乙镇纸箱厂" not in body
    assert "登记企业" in body and page.context["can_edit"]
    tampered = client.get(f"/enterprises/?town={county.town_b.pk}")
    assert "乙镇纸箱厂" not in _text(tampered)


def test_a_leader_sees_the_county_and_may_not_register(
    client: Any, county: Any, firms: dict[str, Any]
) -> None:
    client.force_login(county.leader)
    page = client.get("/enterprises/")
    body = _text(page)
    assert "甲镇水泥有限公司" in body and "乙镇纸箱厂" in body
    assert not page.context["can_edit"] and "登记企业" not in body
    only_b = client.get(f"/enterprises/?town={county.town_b.pk}")
    assert [e.name for e in only_b.context["page"]] == ["乙镇纸箱厂"]
    searched = client.get("/enterprises/?q=水泥")
    assert [e.name for e in searched.context["page"]] == ["甲镇水泥有限公司"]
    by_industry = client.get("/enterprises/?industry=22")
    assert [e.name for e in by_industry.context["page"]] == ["乙镇纸箱厂"]


def test_htmx_gets_only_the_table(client: Any, county: Any, firms: dict[str, Any]) -> None:
    client.force_login(county.leader)
    table = client.get("/enterprises/?q=纸箱", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-table")
    body = _text(table)
    assert "乙镇纸箱厂" in body and "<html" not in body


def test_the_yearly_figures_export_is_scoped(client: Any, county: Any, firms: dict[str, Any]) -> None:
    client.force_login(county.staff_a)
    response = client.get("/enterprises/?format=xlsx&sheet=years")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert rows and all("甲镇水泥有限公司" in row for row in rows)
    assert len(rows) == 2  # 2024 and 2025
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).order_by("-seq").first()
    assert event is not None and event.target_type == "enterprises.enterprise"


# --- the card ------------------------------------------------------------------------------------------------


def test_the_card_shows_the_years_the_industry_and_the_phone(
    client: Any, county: Any, firms: dict[str, Any]
) -> None:
    a = firms["a"]
    client.force_login(county.staff_a)
    page = client.get(f"/enterprises/{a.pk}/")
    body = _text(page)
    assert "3011 水泥制造" in body and "非金属矿物制品业" in body
    assert "13812345678" in body and "王伟" in body
    assert "年度指标趋势（万元）" in body and "2,500" in body
    assert 'title="缺失"' in body  # 2025 tax missing stays a gap
    assert "变更经营状态" in body and "录入或修改一个年度" in body
    assert page.context["can_edit"]


def test_a_leader_sees_a_masked_phone_and_no_forms(client: Any, county: Any, firms: dict[str, Any]) -> None:
    client.force_login(county.leader)
    body = _text(client.get(f"/enterprises/{firms['a'].pk}/"))
    assert "138****5678" in body and "13812345678" not in body
    assert "变更经营状态" not in body and "录入或修改一个年度" not in body


def test_an_enterprise_sees_its_own_phone_but_not_other_enterprises(
    client: Any, county: Any, firms: dict[str, Any]
) -> None:
    firms["a"].users.add(county.enterprise)
    client.force_login(county.enterprise)
    body = _text(client.get(f"/enterprises/{firms['a'].pk}/"))
    assert "13812345678" in body and "变更经营状态" not in body
    other = EnterpriseFactory(name="甲镇另一家企业", town=county.town_a)
    assert client.get(f"/enterprises/{other.pk}/").status_code == 404


def test_a_town_gets_404_for_another_towns_enterprise(
    client: Any, county: Any, firms: dict[str, Any]
) -> None:
    b = firms["b"]
    client.force_login(county.staff_a)
    assert client.get(f"/enterprises/{b.pk}/").status_code == 404
    assert client.get(f"/enterprises/{b.pk}/edit/").status_code == 404
    assert client.post(f"/enterprises/{b.pk}/years/", {"year": 2025, "tax": "1"}).status_code == 404
    assert client.post(f"/enterprises/{b.pk}/status/", {"status": "closed", "reason": "x"}).status_code == 404
    b.refresh_from_db()
    assert b.status == "operating" and not b.years.exists()


def test_the_card_shows_the_records_history_to_staff(client: Any, county: Any) -> None:
    client.force_login(county.staff_a)
    client.post("/enterprises/new/", _form(county))
    e = Enterprise.objects.get(uscc=make_uscc(701))
    page = client.get(f"/enterprises/{e.pk}/")
    assert page.context["history"] and "甲镇新型建材有限公司" in _text(page)


# --- registering and editing -----------------------------------------------------------------------------


def test_registering_shows_the_message_and_the_card(client: Any, county: Any) -> None:
    client.force_login(county.staff_a)
    assert "登记企业" in _text(client.get("/enterprises/new/"))
    response = client.post("/enterprises/new/", _form(county), follow=True)
    e = Enterprise.objects.get(uscc=make_uscc(701))
    assert response.redirect_chain[-1][0] == f"/enterprises/{e.pk}/"
    assert "已登记企业 甲镇新型建材有限公司。" in _text(response)
    assert e.town == county.town_a and e.industry_section == "C"


def test_a_code_already_registered_is_refused_and_the_form_kept(
    client: Any, county: Any, firms: dict[str, Any]
) -> None:
    client.force_login(county.staff_a)
    page = client.post("/enterprises/new/", _form(county, uscc=firms["a"].uscc, name="重复登记的企业"))
    body = _text(page)
    assert page.status_code == 200
    assert f"统一社会信用代码 {firms['a'].uscc} 已登记" in body
    assert "重复登记的企业" in body and "12.5" in body
    assert not Enterprise.objects.filter(name="重复登记的企业").exists()


def test_a_malformed_code_and_another_town_are_refused(client: Any, county: Any) -> None:
    client.force_login(county.staff_a)
    bad_code = _text(client.post("/enterprises/new/", _form(county, uscc="12345")))
    assert "统一社会信用代码" in bad_code and "甲镇新型建材有限公司" in bad_code
    other_town = client.post("/enterprises/new/", _form(county, town=county.town_b.pk))
    assert other_town.status_code == 200 and other_town.context["form"].errors["town"]
    assert not Enterprise.objects.exists()


def test_roles_without_the_registry_may_not_register_or_edit(
    client: Any, county: Any, firms: dict[str, Any]
) -> None:
    a = firms["a"]
    for who in (county.leader, county.inspector, county.enterprise, county.admin):
        client.force_login(who)
        assert client.get("/enterprises/new/").status_code == 403, who
        assert client.post("/enterprises/new/", _form(county)).status_code == 403, who
        assert client.get(f"/enterprises/{a.pk}/edit/").status_code == 403, who
        assert client.post(f"/enterprises/{a.pk}/years/", {"year": 2025, "tax": "9"}).status_code == 403
        assert (
            client.post(f"/enterprises/{a.pk}/status/", {"status": "closed", "reason": "x"}).status_code
            == 403
        )
    a.refresh_from_db()
    assert a.status == "operating" and not Enterprise.objects.filter(uscc=make_uscc(701)).exists()


def test_editing_keeps_the_code_and_counts_the_changes(
    client: Any, county: Any, firms: dict[str, Any]
) -> None:
    a = firms["a"]
    client.force_login(county.staff_a)
    form_page = client.get(f"/enterprises/{a.pk}/edit/")
    assert f"修改 {a.name}" in _text(form_page) and form_page.context["form"].fields["uscc"].disabled
    data = {
        "uscc": make_uscc(999),  # ignored: the code cannot change
        "name": "甲镇水泥股份有限公司",
        "industry_code": "3011",
        "town": county.town_a.pk,
        "status": "operating",
        "land_owned_mu": "30.0000",  # as the form shows it
        "contact_person": "王伟",
        "contact_phone": "13812345678",
        "reason": "股份制改造",
        "version": a.version,
    }
    response = client.post(f"/enterprises/{a.pk}/edit/", data, follow=True)
    assert "已保存：修改了 1 项。" in _text(response)
    old_code = a.uscc
    a.refresh_from_db()
    assert a.name == "甲镇水泥股份有限公司" and a.uscc == old_code
    event = AuditEvent.objects.filter(target_type="enterprises.enterprise", target_id=str(a.pk)).order_by(
        "-seq"
    )[0]
    assert event.reason == "股份制改造" and event.after == {"name": "甲镇水泥股份有限公司"}


def test_typing_the_same_land_without_decimals_is_not_a_change(
    client: Any, county: Any, firms: dict[str, Any]
) -> None:
    a = firms["a"]
    client.force_login(county.staff_a)
    data = {
        "name": "甲镇水泥股份有限公司",
        "industry_code": "3011",
        "town": county.town_a.pk,
        "status": "operating",
        "land_owned_mu": "30",
        "contact_person": "王伟",
        "contact_phone": "13812345678",
        "reason": "股份制改造",
        "version": a.version,
    }
    response = client.post(f"/enterprises/{a.pk}/edit/", data, follow=True)
    assert "已保存：修改了 1 项。" in _text(response)
    event = AuditEvent.objects.filter(target_type="enterprises.enterprise", target_id=str(a.pk)).order_by(
        "-seq"
    )[0]
    assert "land_owned_mu" not in event.after


def test_a_bad_edit_is_refused_and_keeps_what_was_typed(
    client: Any, county: Any, firms: dict[str, Any]
) -> None:
    a = firms["a"]
    client.force_login(county.staff_a)
    data = {
        "name": "甲镇水泥改名公司",
        "industry_code": "9999",
        "town": county.town_a.pk,
        "status": "operating",
        "land_owned_mu": "30",
        "version": a.version,
    }
    page = client.post(f"/enterprises/{a.pk}/edit/", data)
    body = _text(page)
    assert page.status_code == 200 and "不是 GB/T 4754-2017" in body and "甲镇水泥改名公司" in body
    a.refresh_from_db()
    assert a.name == "甲镇水泥有限公司"


def test_a_county_wide_reader_with_a_town_role_may_edit_only_that_town(
    client: Any, county: Any, firms: dict[str, Any]
) -> None:
    # A leader who also works for 甲镇 sees the whole county but edits only 甲镇's enterprises.
    MembershipFactory(user=county.leader, unit=county.town_a, role=Role.UNIT_STAFF)
    client.force_login(county.leader)
    b_card = client.get(f"/enterprises/{firms['b'].pk}/")
    assert b_card.status_code == 200 and not b_card.context["can_edit"]
    assert client.get(f"/enterprises/{firms['b'].pk}/edit/").status_code == 403
    assert client.get(f"/enterprises/{firms['a'].pk}/edit/").status_code == 200


def test_moving_an_enterprise_to_a_town_one_does_not_serve_is_refused(
    client: Any, county: Any, firms: dict[str, Any]
) -> None:
    # The town picker offers what the leader sees (the county), the service what 甲镇's staff may write.
    MembershipFactory(user=county.leader, unit=county.town_a, role=Role.UNIT_STAFF)
    a = firms["a"]
    client.force_login(county.leader)
    data = {
        "name": "迁往乙镇的水泥公司",
        "industry_code": "3011",
        "town": county.town_b.pk,
        "status": "operating",
        "land_owned_mu": "30.0000",
        "reason": "搬迁",
        "version": a.version,
    }
    page = client.post(f"/enterprises/{a.pk}/edit/", data)
    body = _text(page)
    assert page.status_code == 200 and "该单位不在您的职责范围内" in body
    assert "迁往乙镇的水泥公司" in body
    a.refresh_from_db()
    assert a.town == county.town_a and a.name == "甲镇水泥有限公司"


# --- yearly figures and status ---------------------------------------------------------------------------


def test_saving_a_year_of_figures(client: Any, county: Any, firms: dict[str, Any]) -> None:
    a = firms["a"]
    client.force_login(county.staff_a)
    response = client.post(
        f"/enterprises/{a.pk}/years/",
        {"year": 2023, "output_value": "3100", "revenue": "2999.5", "tax": "75", "employees": "120"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/enterprises/{a.pk}/"
    assert "已保存 2023 年度指标。" in _text(response) and "2,999.5" in _text(response)
    row = EnterpriseYear.objects.get(enterprise=a, year=2023)
    assert row.revenue == Decimal("2999.5000") and row.employees == 120
    # 2025 is already entered: changing it is a correction, which needs a reason (the old figures stay
    # in the history); refused, what was typed stays on the form.
    refused = client.post(f"/enterprises/{a.pk}/years/", {"year": 2025, "tax": "66"})
    assert "2025 年度指标已录入，更正须填写原因" in _text(refused)
    assert refused.context["year_form"]["tax"].value() == "66"
    body = {"year": 2025, "tax": "66", "reason": "统计局核定数"}
    again = client.post(f"/enterprises/{a.pk}/years/", body, follow=True)
    assert "已保存 2025 年度指标。" in _text(again)
    assert EnterpriseYear.objects.get(enterprise=a, year=2025).tax == Decimal("66.0000")
    assert a.years.count() == 3


def test_bad_figures_are_refused_with_the_field_named(
    client: Any, county: Any, firms: dict[str, Any]
) -> None:
    a = firms["a"]
    client.force_login(county.staff_a)
    response = client.post(f"/enterprises/{a.pk}/years/", {"year": "", "tax": "很多"}, follow=True)
    body = _text(response)
    assert "年度：这个字段是必填项。" in body and "实缴税金（万元）：输入一个数字。" in body
    assert a.years.count() == 2
    assert client.get(f"/enterprises/{a.pk}/years/").status_code == 405


def test_changing_the_status_needs_a_reason(client: Any, county: Any, firms: dict[str, Any]) -> None:
    a = firms["a"]
    client.force_login(county.staff_a)
    url = f"/enterprises/{a.pk}/status/"
    no_reason = client.post(url, {"status": "stopped", "reason": " "}, follow=True)
    assert "原因：变更经营状态必须填写原因" in _text(no_reason)
    unknown = client.post(url, {"status": "bankrupt", "reason": "破产"}, follow=True)
    assert "未知的经营状态" in _text(unknown)
    a.refresh_from_db()
    assert a.status == "operating"
    done = client.post(url, {"status": "stopped", "reason": "环保整改停产"}, follow=True)
    assert "经营状态已变更。" in _text(done) and 'text-bg-warning">停产' in _text(done)
    a.refresh_from_db()
    assert a.status == "stopped"
    event = AuditEvent.objects.filter(target_type="enterprises.enterprise", target_id=str(a.pk)).order_by(
        "-seq"
    )[0]
    assert event.action == AuditEvent.Action.TRANSITION and event.reason == "环保整改停产"
