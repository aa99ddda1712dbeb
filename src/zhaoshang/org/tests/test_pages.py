"""The organisation pages as people use them, on the demo county: lists with filters, forms with
good and bad input, the Chinese messages they answer with, and what changed afterwards."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhaoshang.core.models import AuditEvent, Notification
from zhaoshang.org.models import ApiToken, Membership, Unit, User


def _client(demo: Any, username: str) -> Client:
    client = Client()
    client.force_login(demo.user(username))
    return client


def _text(response: Any) -> str:
    return response.content.decode()


def test_the_unit_list_filters_by_name_and_exports(demo_county: Any) -> None:
    admin = _client(demo_county, "admin")
    page = _text(admin.get("/org/units/", {"q": "青山"}))
    assert "青山镇" in page and "城关镇" not in page
    kind = Unit.objects.get(name="城关镇").kind_id
    page = _text(admin.get("/org/units/", {"kind": kind}))
    assert "城关镇" in page and "示范县招商局" not in page
    export = admin.get("/org/units/", {"format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, target_type="org.unit").exists()


def test_a_town_sees_its_unit_and_edits_its_profile(demo_county: Any) -> None:
    town = _client(demo_county, "town")
    own = demo_county.unit("城关镇")
    page = _text(town.get(f"/org/units/{own.pk}/"))
    assert "城关镇" in page
    assert town.get(f"/org/units/{demo_county.unit('青山镇').pk}/").status_code == 404
    refused = town.post(
        f"/org/units/{own.pk}/edit/",
        {
            "short_name": "城关",
            "contact_person": "王伟",
            "phone": "电话号码",
            "address": "人民路",
            "reason": "更新",
            "version": own.version,
        },
    )
    assert refused.status_code == 200 and "电话" in _text(refused)
    assert 'value="人民路"' in _text(refused)  # what was typed stays
    saved = town.post(
        f"/org/units/{own.pk}/edit/",
        {
            "short_name": "城关",
            "contact_person": "王伟",
            "phone": "0571-88886666",
            "address": "人民路2号",
            "description": "",
            "reason": "更新联系方式",
            "version": own.version,
        },
        follow=True,
    )
    assert "已保存：修改了" in _text(saved)
    own.refresh_from_db()
    assert (own.phone, own.address) == ("0571-88886666", "人民路2号")


def test_the_admin_creates_a_unit_and_a_bad_one_is_refused(demo_county: Any) -> None:
    admin = _client(demo_county, "admin")
    county = demo_county.unit("示范县")
    town_kind = Unit.objects.get(name="城关镇").kind_id
    assert admin.get("/org/units/new/", {"parent": county.pk}).status_code == 200
    refused = admin.post("/org/units/new/", {"name": "", "kind": town_kind, "parent": county.pk})
    assert refused.status_code == 200 and "这个字段是必填项" in _text(refused)
    created = admin.post(
        "/org/units/new/", {"name": "新桥镇", "kind": town_kind, "parent": county.pk}, follow=True
    )
    assert "已新建单位 新桥镇。" in _text(created)
    assert Unit.objects.get(name="新桥镇").parent == county
    assert _client(demo_county, "inspector").get("/org/units/new/").status_code == 403


def test_the_user_list_filters_by_name_and_role(demo_county: Any) -> None:
    admin = _client(demo_county, "admin")
    coordinator, inspector = demo_county.user("coordinator"), demo_county.user("inspector")
    link = "/org/users/{}/".format
    page = _text(admin.get("/org/users/", {"q": "coordinator"}))
    assert link(coordinator.pk) in page and link(inspector.pk) not in page
    page = _text(admin.get("/org/users/", {"role": "inspector"}))
    assert link(inspector.pk) in page and link(coordinator.pk) not in page
    assert admin.get("/org/users/", {"format": "xlsx"}).status_code == 200


def test_the_admin_creates_an_account_and_the_security_administrator_is_asked_for_its_role(
    demo_county: Any,
) -> None:
    admin = _client(demo_county, "admin")
    good = {
        "username": "clerk",
        "display_name": "赵敏",
        "title": "招商专员",
        "phone": "13800001111",
        "email": "",
        "password": "Tea-Garden-2026",
    }
    form = _text(admin.get("/org/users/new/"))
    assert 'name="role"' not in form  # 三权分立: the system administrator grants no role
    refused = admin.post("/org/users/new/", {**good, "phone": "138-abc"})
    assert refused.status_code == 200 and "电话" in _text(refused)
    assert 'value="赵敏"' in _text(refused)
    refused = admin.post("/org/users/new/", {**good, "username": "leader"})
    # the demo's committee has a 赵敏 of its own: nothing new is created under either name
    assert (
        refused.status_code == 200 and not User.objects.filter(display_name="赵敏", username="clerk").exists()
    )
    assert User.objects.filter(display_name="赵敏").count() <= 1
    created = admin.post("/org/users/new/", {**good, "role": "admin", "unit": 1}, follow=True)
    assert "待安全管理员分配角色" in _text(created)
    clerk = User.objects.get(username="clerk")
    assert not clerk.memberships.exists()
    told = Notification.objects.get(recipient=demo_county.user("security"), title__contains="待分配角色")
    assert "clerk" in told.title or "赵敏" in told.title


def test_the_security_administrator_grants_and_removes_roles_with_a_reason(demo_county: Any) -> None:
    security = _client(demo_county, "security")
    person = demo_county.user("town2")
    detail = f"/org/users/{person.pk}/"
    assert "town2" in _text(security.get(detail))
    page = _text(security.post(f"{detail}roles/", {"unit": "", "role": ""}, follow=True))
    assert "请选择单位和角色。" in page
    park = demo_county.unit("示范县经济开发区")
    page = _text(security.post(f"{detail}roles/", {"unit": park.pk, "role": "unit_staff"}, follow=True))
    assert "已添加角色。" in page
    added = Membership.objects.get(user=person, unit=park)
    granted = AuditEvent.objects.filter(action="create", target_type="org.membership").latest("seq")
    assert granted.actor == demo_county.user("security") and granted.target_id == str(added.pk)
    assert Notification.objects.filter(recipient=person, kind="membership", title__contains="授予").exists()
    page = _text(security.post(f"/org/memberships/{added.pk}/remove/", {"reason": ""}, follow=True))
    assert "原因：移除角色必须填写原因。" in page
    assert Membership.objects.filter(pk=added.pk).exists()
    page = _text(security.post(f"/org/memberships/{added.pk}/remove/", {"reason": "调岗"}, follow=True))
    assert "已移除角色。" in page
    assert Notification.objects.filter(recipient=person, kind="membership", title__contains="移除").exists()
    assert AuditEvent.objects.filter(action="delete", target_type="org.membership", reason="调岗").exists()


def test_the_admin_may_not_grant_roles_least_of_all_to_itself(demo_county: Any) -> None:
    admin = _client(demo_county, "admin")
    me = demo_county.user("admin")
    county = demo_county.unit("示范县")
    assert 'name="role"' not in _text(admin.get(f"/org/users/{me.pk}/"))
    for role in ("inspector", "security_admin", "auditor", "coordinator"):
        assert admin.post(f"/org/users/{me.pk}/roles/", {"unit": county.pk, "role": role}).status_code == 403
    own = Membership.objects.get(user=me)
    assert admin.post(f"/org/memberships/{own.pk}/remove/", {"reason": "x"}).status_code == 403
    assert set(Membership.objects.filter(user=me).values_list("role", flat=True)) == {"admin"}


def test_nobody_grants_a_role_to_themselves(demo_county: Any) -> None:
    security = _client(demo_county, "security")
    me = demo_county.user("security")
    county = demo_county.unit("示范县")
    assert 'name="role"' not in _text(security.get(f"/org/users/{me.pk}/"))
    refused = security.post(f"/org/users/{me.pk}/roles/", {"unit": county.pk, "role": "admin"})
    assert refused.status_code == 403 and "不能修改自己的角色" in _text(refused)
    assert not Membership.objects.filter(user=me, role="admin").exists()


def test_the_admin_may_not_reset_or_switch_off_an_oversight_account(demo_county: Any) -> None:
    admin = _client(demo_county, "admin")
    for username in ("security", "auditor"):
        person = demo_county.user(username)
        assert "停用账号" not in _text(admin.get(f"/org/users/{person.pk}/"))
        assert admin.post(f"/org/users/{person.pk}/active/", {"reason": "x"}).status_code == 403
        person.refresh_from_db()
        assert person.is_active


def test_an_account_is_disabled_and_enabled_with_a_reason(demo_county: Any) -> None:
    admin = _client(demo_county, "admin")
    person = demo_county.user("town2")
    url = f"/org/users/{person.pk}/active/"
    assert "原因：停用或启用账号必须填写原因。" in _text(admin.post(url, {"reason": ""}, follow=True))
    assert "账号已停用。" in _text(admin.post(url, {"reason": "离职"}, follow=True))
    person.refresh_from_db()
    assert not person.is_active
    assert "账号已启用。" in _text(admin.post(url, {"reason": "返岗"}, follow=True))


@pytest.mark.parametrize("username", ["inspector", "enterprise"])
def test_who_may_not_manage_is_refused(demo_county: Any, username: str) -> None:
    client = _client(demo_county, username)
    person = demo_county.user("town2")
    assert client.post(f"/org/users/{person.pk}/active/", {"reason": "x"}).status_code == 403
    assert client.post("/org/users/new/", {}).status_code == 403


def test_the_account_page_changes_the_password_and_manages_tokens(demo_county: Any) -> None:
    client = _client(demo_county, "coordinator")
    assert client.get("/accounts/").status_code == 200
    refused = client.post(
        "/accounts/",
        {"form": "password", "old_password": "wrong", "new_password1": "x", "new_password2": "y"},
    )
    assert refused.status_code == 200 and "密码已修改。" not in _text(refused)
    page = _text(client.post("/accounts/", {"form": "token", "name": "报表机器人"}))
    token = ApiToken.objects.get(user__username="coordinator", name="报表机器人")
    assert "报表机器人" in page
    assert client.post("/accounts/", {"form": "revoke", "token": "abc"}).status_code == 404
    page = _text(client.post("/accounts/", {"form": "revoke", "token": token.pk}, follow=True))
    assert "令牌已吊销。" in page
    token.refresh_from_db()
    assert token.revoked_at is not None
    changed = client.post(
        "/accounts/",
        {
            "form": "password",
            "old_password": "Zhaoshang@2026",
            "new_password1": "Bamboo-River-7781",
            "new_password2": "Bamboo-River-7781",
        },
        follow=True,
    )
    assert "密码已修改。" in _text(changed)
