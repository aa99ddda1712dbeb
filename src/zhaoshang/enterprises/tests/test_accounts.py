"""Linking an enterprise account (企业账号) to its enterprise: from the administrator's person page and
from the enterprise page, audited on both; the linked account then sees its enterprise, and an
account with none linked is told whom to ask instead of seeing an empty list."""

from __future__ import annotations

from typing import Any

import pytest

from zhaoshang.core.models import AuditEvent
from zhaoshang.core.roles import Role
from zhaoshang.enterprises.tests.factories import EnterpriseFactory
from zhaoshang.org.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

AWAITS = "您的账号尚未关联企业"


@pytest.fixture
def firm(county: Any) -> Any:
    return EnterpriseFactory(name="示范机械有限公司", town=county.town_a)


def test_an_unlinked_enterprise_account_is_told_whom_to_ask(client: Any, county: Any, firm: Any) -> None:
    client.force_login(county.enterprise)
    for url in ("/", "/enterprises/"):
        body = client.get(url).content.decode()
        assert AWAITS in body and "系统管理员" in body, url
    firm.users.add(county.enterprise)
    assert AWAITS not in client.get("/enterprises/").content.decode()
    assert "示范机械有限公司" in client.get("/").content.decode()


def test_the_administrator_links_from_the_persons_page(client: Any, county: Any, firm: Any) -> None:
    client.force_login(county.admin)
    page = client.get(f"/org/users/{county.enterprise.pk}/").content.decode()
    assert "所属企业" in page and "尚未关联企业" in page
    answer = client.post(f"/enterprises/accounts/{county.enterprise.pk}/", {"enterprise": "不存在的公司"})
    assert "没有找到该企业" in client.get(answer.url).content.decode()
    client.post(
        f"/enterprises/accounts/{county.enterprise.pk}/",
        {"enterprise": firm.uscc.lower(), "reason": "企业申请"},
    )
    assert list(firm.users.all()) == [county.enterprise]
    page = client.get(f"/org/users/{county.enterprise.pk}/").content.decode()
    assert f'href="/enterprises/{firm.pk}/"' in page
    reason = "关联企业账号：enterprise 代表 示范机械有限公司（企业申请）"
    events = AuditEvent.objects.filter(reason=reason).values_list("target_type", flat=True)
    assert sorted(events) == ["enterprises.enterprise", "org.user"]
    # The account now sees its enterprise.
    client.force_login(county.enterprise)
    assert client.get(f"/enterprises/{firm.pk}/").status_code == 200
    assert [x["id"] for x in client.get("/api/enterprises/").json()["items"]] == [firm.pk]


def test_a_staff_account_is_not_offered_nor_linked(client: Any, county: Any, firm: Any) -> None:
    client.force_login(county.admin)
    assert "所属企业" not in client.get(f"/org/users/{county.staff_a.pk}/").content.decode()
    client.post(f"/enterprises/{firm.pk}/accounts/", {"user": county.staff_a.pk})
    assert not firm.users.exists()


def test_town_staff_link_and_unlink_on_the_enterprise_page(client: Any, county: Any, firm: Any) -> None:
    client.force_login(county.staff_a)
    page = client.get(f"/enterprises/{firm.pk}/").content.decode()
    assert "关联企业账号" in page and f'<option value="{county.enterprise.pk}">' in page
    client.post(f"/enterprises/{firm.pk}/accounts/", {"user": county.enterprise.pk})
    assert list(firm.users.all()) == [county.enterprise]
    history = client.get(f"/enterprises/{firm.pk}/").content.decode()
    assert "企业账号" in history and "关联企业账号：enterprise 代表 示范机械有限公司" in history
    # Unlinking needs a reason; nothing else changes without one.
    client.post(f"/enterprises/{firm.pk}/accounts/", {"user": county.enterprise.pk, "op": "unlink"})
    assert firm.users.exists()
    client.post(
        f"/enterprises/{firm.pk}/accounts/",
        {"user": county.enterprise.pk, "op": "unlink", "reason": "已离职"},
    )
    assert not firm.users.exists()


def test_who_may_link(client: Any, county: Any, firm: Any) -> None:
    other = EnterpriseFactory(town=county.town_b)
    client.force_login(county.staff_a)
    assert (
        client.post(f"/enterprises/{other.pk}/accounts/", {"user": county.enterprise.pk}).status_code == 404
    )
    for user in (county.leader, county.inspector, county.enterprise):
        client.force_login(user)
        assert (
            client.post(f"/enterprises/{firm.pk}/accounts/", {"user": county.enterprise.pk}).status_code
            == 403
        )
        assert "关联企业账号" not in client.get(f"/enterprises/{firm.pk}/").content.decode()
    client.force_login(county.coordinator)
    assert (
        client.post(f"/enterprises/accounts/{county.enterprise.pk}/", {"enterprise": firm.uscc}).status_code
        == 403
    )
    assert not firm.users.exists()


def test_a_new_account_without_a_role_may_be_linked_before_its_role(
    client: Any, county: Any, firm: Any
) -> None:
    fresh = UserFactory(username="new_firm", display_name="新企业账号")
    client.force_login(county.admin)
    page = client.get(f"/org/users/{fresh.pk}/").content.decode()
    assert "尚无“企业”角色" in page
    client.post(f"/enterprises/accounts/{fresh.pk}/", {"enterprise": firm.name})
    assert list(firm.users.all()) == [fresh]
    MembershipFactory(user=fresh, unit=county.town_a, role=Role.ENTERPRISE)
    client.force_login(fresh)
    assert client.get(f"/enterprises/{firm.pk}/").status_code == 200
