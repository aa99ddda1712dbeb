"""The administrator's daily tasks on a person's page: a locked-out account shows its lock and is
lifted there (audited); the accounts of security administrators and auditors stay theirs (三权分立);
and anyone changes their own password from the account menu under the password rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhaoshang.core.models import AuditEvent
from zhaoshang.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _fail_logins(username: str, times: int = 5, ip: str = "10.7.7.7") -> None:
    for _ in range(times):
        Client().post("/accounts/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)


def _can_log_in(username: str, password: str = PASSWORD, ip: str = "10.7.7.7") -> bool:
    answer = Client().post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)
    return answer.status_code == 302 and not answer.url.startswith("/accounts/login/")


def _lift(client: Client, person: Any) -> Any:
    return client.post(
        "/org/lockouts/lift/",
        {
            "kind": "username+ip_address",
            "username": person.username,
            "ip_address": "10.7.7.7",
            "reason": "本人来电",
            "person": person.pk,
        },
    )


def test_the_person_page_shows_the_lock_and_lifts_it(county: Any) -> None:
    person = county.enterprise
    _fail_logins(person.username)
    assert not _can_log_in(person.username)
    admin = Client()
    admin.force_login(county.admin)
    page = admin.get(f"/org/users/{person.pk}/").content.decode()
    assert "该账号已被锁定" in page and "解除锁定" in page
    answer = _lift(admin, person)
    assert answer.url == f"/org/users/{person.pk}/"
    assert "该账号已被锁定" not in admin.get(answer.url).content.decode()
    event = AuditEvent.objects.filter(target_type="axes.accessattempt").latest("seq")
    assert event.actor_id == county.admin.pk and event.reason == "本人来电"
    assert _can_log_in(person.username)


def test_a_security_administrators_lock_is_theirs_to_lift(county: Any) -> None:
    _fail_logins(county.security.username)
    admin = Client()
    admin.force_login(county.admin)
    answer = _lift(admin, county.security)
    assert "只能由安全管理员管理" in admin.get(answer.url, follow=True).content.decode()
    assert not _can_log_in(county.security.username)
    other = Client()
    other.force_login(county.auditor)  # an auditor lifts nothing
    assert _lift(other, county.security).status_code == 403
    keeper = Client()
    keeper.force_login(county.security)
    _lift(keeper, county.security)
    assert _can_log_in(county.security.username)


def test_anyone_changes_their_own_password_from_the_account_menu(county: Any) -> None:
    client = Client()
    client.force_login(county.leader)
    assert 'href="/accounts/password/">修改密码</a>' in client.get("/").content.decode()
    page = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "Spring-Rain-2031", "new_password2": "Spring-Rain-2031"},
    ).content.decode()
    assert "旧密码" in page and "Spring-Rain-2031" not in page
    # The rules apply: three kinds of character, and not a recent password.
    weak = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "abcdefghijkl", "new_password2": "abcdefghijkl"},
    ).content.decode()
    assert "abcdefghijkl" not in weak and "新密码" in weak
    reused = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    ).content.decode()
    assert "不能与最近 5 次使用过的密码相同" in reused
    done = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Spring-Rain-2031", "new_password2": "Spring-Rain-2031"},
    )
    assert done.status_code == 302
    county.leader.refresh_from_db()
    assert county.leader.check_password("Spring-Rain-2031")
    event = AuditEvent.objects.filter(target_type="org.user", target_id=str(county.leader.pk)).latest("seq")
    assert event.actor_id == county.leader.pk and "password" in event.after
