from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.enterprises import services
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.tests.factories import EnterpriseFactory, EnterpriseYearFactory, make_uscc
from zhaoshang.org.principal import principal_for

pytestmark = pytest.mark.django_db


def test_a_wrong_code_is_refused_naming_the_rule(county: object) -> None:
    staff = principal_for(county.staff_a)  # type: ignore[attr-defined]
    good = make_uscc(11)
    with pytest.raises(ValidationError, match="校验码不符"):
        services.enterprise_create(
            by=staff,
            uscc_code=good[:-1] + ("0" if good[-1] != "0" else "1"),
            data={"name": "甲", "industry_code": "3011", "town": county.town_a},
        )  # type: ignore[attr-defined]
    e = services.enterprise_create(
        by=staff,
        uscc_code=good.lower(),
        data={"name": "长沙重工机械", "industry_code": "C3011", "town": county.town_a},
    )  # type: ignore[attr-defined]
    assert e.uscc == good and e.industry_code == "3011" and e.name_initials == "cszgjx"


def test_town_staff_see_their_town_and_parks_see_their_park(client: object, county: object) -> None:
    a = EnterpriseFactory(name="甲镇企业", town=county.town_a)  # type: ignore[attr-defined]
    b = EnterpriseFactory(name="乙镇园区企业", town=county.town_b, park=county.village_a)  # type: ignore[attr-defined]
    c = EnterpriseFactory(name="乙镇企业", town=county.town_b)  # type: ignore[attr-defined]
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    page = client.get("/enterprises/").content.decode()  # type: ignore[attr-defined]
    assert (
        "甲镇企业" in page and "乙镇园区企业" in page and "乙镇企业" not in page.replace("乙镇园区企业", "")
    )
    assert client.get(f"/enterprises/{c.pk}/").status_code == 404  # type: ignore[attr-defined]
    assert client.get(f"/api/enterprises/{c.pk}").status_code == 404  # type: ignore[attr-defined]
    assert {x["id"] for x in client.get("/api/enterprises/").json()["items"]} == {a.pk, b.pk}  # type: ignore[attr-defined]


def test_an_enterprise_user_sees_only_their_own(client: object, county: object) -> None:
    own = EnterpriseFactory(town=county.town_a)  # type: ignore[attr-defined]
    other = EnterpriseFactory(town=county.town_a)  # type: ignore[attr-defined]
    own.users.add(county.enterprise)  # type: ignore[attr-defined]
    client.force_login(county.enterprise)  # type: ignore[attr-defined]
    assert [x["id"] for x in client.get("/api/enterprises/").json()["items"]] == [own.pk]  # type: ignore[attr-defined]
    assert client.get(f"/enterprises/{other.pk}/").status_code == 404  # type: ignore[attr-defined]
    assert client.get(f"/enterprises/{own.pk}/edit/").status_code == 403  # type: ignore[attr-defined]


def test_phones_are_masked_for_leaders_and_inspectors(client: object, county: object) -> None:
    e = EnterpriseFactory(town=county.town_a, contact_phone="13812345678")  # type: ignore[attr-defined]
    for user, shown in (
        (county.leader, "138****5678"),
        (county.inspector, "138****5678"),  # type: ignore[attr-defined]
        (county.staff_a, "13812345678"),
        (county.coordinator, "13812345678"),
    ):  # type: ignore[attr-defined]
        client.force_login(user)  # type: ignore[attr-defined]
        page = client.get(f"/enterprises/{e.pk}/").content.decode()  # type: ignore[attr-defined]
        assert f'<span id="contact-phone">{shown}</span>' in page, user


def test_search_by_pinyin_initials_code_and_industry_level(client: object, county: object) -> None:
    cement = services.enterprise_create(
        by=principal_for(county.coordinator),
        uscc_code=make_uscc(21),
        data={  # type: ignore[attr-defined]
            "name": "浙江水泥有限公司",
            "industry_code": "3011",
            "town": county.town_a,
        },
    )  # type: ignore[attr-defined]
    services.enterprise_create(
        by=principal_for(county.coordinator),
        uscc_code=make_uscc(22),
        data={  # type: ignore[attr-defined]
            "name": "示范纸箱厂",
            "industry_code": "2231",
            "town": county.town_a,
        },
    )  # type: ignore[attr-defined]
    client.force_login(county.coordinator)  # type: ignore[attr-defined]

    def names(query: str) -> set[str]:
        return {x["name"] for x in client.get(f"/api/enterprises/?{query}").json()["items"]}  # type: ignore[attr-defined]

    assert names("q=zjsn") == {"浙江水泥有限公司"}
    assert names(f"q={cement.uscc[:17]}") == {"浙江水泥有限公司"}
    assert names("industry=30") == {"浙江水泥有限公司"}
    assert names("industry=C") == {"浙江水泥有限公司", "示范纸箱厂"}
    assert names("industry=223") == {"示范纸箱厂"}


def test_scale_follows_revenue_unless_overridden(county: object) -> None:
    coordinator = principal_for(county.coordinator)  # type: ignore[attr-defined]
    e = EnterpriseFactory(town=county.town_a)  # type: ignore[attr-defined]
    services.year_save(by=coordinator, enterprise=e, year=2024, data={"revenue": 2500})
    e.refresh_from_db()
    assert e.above_scale
    services.enterprise_update(
        by=coordinator, enterprise=e, data={"scale_override": "below"}, reason="统计局认定"
    )
    e.refresh_from_db()
    assert not e.above_scale


def test_status_changes_need_a_reason_and_nothing_is_deleted(county: object) -> None:
    coordinator = principal_for(county.coordinator)  # type: ignore[attr-defined]
    e = EnterpriseFactory(town=county.town_a)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        services.enterprise_set_status(by=coordinator, enterprise=e, status="moved_out", reason="")
    services.enterprise_set_status(by=coordinator, enterprise=e, status="moved_out", reason="迁往邻县")
    assert Enterprise.objects.get(pk=e.pk).status == "moved_out"


def test_the_list_runs_a_bounded_number_of_queries(
    client: object, county: object, django_assert_max_num_queries: object
) -> None:
    for _ in range(30):
        e = EnterpriseFactory(town=county.town_a)  # type: ignore[attr-defined]
        EnterpriseYearFactory(enterprise=e)
    client.force_login(county.coordinator)  # type: ignore[attr-defined]
    # session, user, memberships, unread count, towns, parks, qualifications (filter form), count, rows,
    # their qualifications, and the session's renewal (savepoint, update, release).
    with django_assert_max_num_queries(13):  # type: ignore[operator]
        assert client.get("/enterprises/").status_code == 200  # type: ignore[attr-defined]
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get("/api/enterprises/").status_code == 200  # type: ignore[attr-defined]


def test_the_detail_page_shows_missing_figures_as_missing(client: object, county: object) -> None:
    e = EnterpriseFactory(town=county.town_a)  # type: ignore[attr-defined]
    EnterpriseYearFactory(enterprise=e, year=2023, tax=None)
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    page = client.get(f"/enterprises/{e.pk}/").content.decode()  # type: ignore[attr-defined]
    assert 'title="缺失">—<' in page
    chart = json.loads(
        json.loads(page.split('id="year-data" type="application/json">')[1].split("</script>")[0])
    )
    assert chart["tax"] == [None]


def test_the_api_records_a_year(client: object, county: object) -> None:
    e = EnterpriseFactory(town=county.town_a)  # type: ignore[attr-defined]
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    response = client.put(
        f"/api/enterprises/{e.pk}/years/2025",
        json.dumps({"tax": "12.5"}),  # type: ignore[attr-defined]
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["tax"] == "12.5000"
    client.force_login(county.staff_b)  # type: ignore[attr-defined]
    response = client.put(
        f"/api/enterprises/{e.pk}/years/2025",
        json.dumps({"tax": "1"}),  # type: ignore[attr-defined]
        content_type="application/json",
    )
    assert response.status_code == 404
