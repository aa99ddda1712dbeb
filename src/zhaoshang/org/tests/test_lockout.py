"""Log-in throttling per account across addresses and per address across accounts, the same on
the password-change form, and the administrator's 登录锁定 page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhaoshang.core.models import AuditEvent
from zhaoshang.org.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str, ip: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _refused(response: Any) -> bool:
    return response.status_code in (403, 429) and "锁定" in response.content.decode()


def _logged_in(response: Any) -> bool:
    return response.status_code == 302 and not response.url.startswith("/accounts/login/")


def test_eighty_guesses_from_twenty_addresses_are_refused_after_ten() -> None:
    UserFactory(username="wang")
    client = Client()
    answers = [_login(client, "wang", f"guess-{n}", f"10.0.{n // 4}.{n % 4 + 1}") for n in range(80)]
    refused = [n for n, answer in enumerate(answers) if _refused(answer)]
    assert refused and refused[0] == 9, "the tenth failure locks the account"
    assert len(refused) == 71
    # Even the right password from a 21st address is refused while the lock lasts.
    assert _refused(_login(client, "wang", PASSWORD, "10.9.9.9"))


def test_spraying_one_password_over_twenty_accounts_from_one_address_is_refused() -> None:
    for n in range(20):
        UserFactory(username=f"staff{n}")
    client = Client()
    answers = [_login(client, f"staff{n}", "Spring-2026-pw", "10.1.1.1") for n in range(20)]
    refused = [n for n, answer in enumerate(answers) if _refused(answer)]
    assert refused[0] == 14 and len(refused) == 6
    # The address is locked for every account, the accounts themselves are not.
    assert _refused(_login(client, "staff19", PASSWORD, "10.1.1.1"))
    assert _logged_in(_login(Client(), "staff19", PASSWORD, "10.2.2.2"))


def test_a_correct_password_clears_only_that_accounts_failures() -> None:
    UserFactory(username="mole")
    for n in range(14):
        UserFactory(username=f"target{n}")
    client = Client()
    for n in range(14):
        _login(client, f"target{n}", "Spring-2026-pw", "10.3.3.3")
    # Logging in with an account of one's own does not wipe the address's count.
    assert _logged_in(_login(Client(), "mole", PASSWORD, "10.3.3.3"))
    assert _refused(_login(client, "target0", "Summer-2026-pw", "10.3.3.3"))


def test_a_mistyped_log_in_followed_by_the_right_one_counts_nothing() -> None:
    UserFactory(username="typo")
    client = Client()
    for _ in range(4):
        _login(client, "typo", "wrong", "10.4.4.4")
    assert _logged_in(_login(client, "typo", PASSWORD, "10.4.4.4"))
    client.post("/accounts/logout/")
    for _ in range(4):
        _login(client, "typo", "wrong", "10.4.4.4")
    assert _logged_in(_login(client, "typo", PASSWORD, "10.4.4.4"))


def test_wrong_old_passwords_on_the_change_form_are_throttled_too() -> None:
    user = UserFactory(username="chen")
    client = Client()
    client.force_login(user)
    data = {"form": "password", "new_password1": "Brand-New-Pass-9", "new_password2": "Brand-New-Pass-9"}
    for _ in range(5):
        client.post("/accounts/", {**data, "old_password": "not-mine"}, REMOTE_ADDR="10.5.5.5")
    assert AuditEvent.objects.filter(action="login_failed", target_repr="chen").count() == 5
    page = client.post("/accounts/", {**data, "old_password": PASSWORD}, REMOTE_ADDR="10.5.5.5")
    assert "尝试次数过多" in page.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_administrator_sees_and_lifts_a_lock(county: Any) -> None:
    for _ in range(5):
        _login(Client(), "staff_a", "wrong", "10.6.6.6")
    assert _refused(_login(Client(), "staff_a", PASSWORD, "10.6.6.6"))
    admin = Client()
    admin.force_login(county.admin)
    page = admin.get("/org/lockouts/").content.decode()
    assert "登录锁定" in page and "staff_a" in page and "10.6.6.6" in page and "账号在同一地址" in page
    lifted = admin.post(
        "/org/lockouts/lift/",
        {
            "kind": "username+ip_address",
            "username": "staff_a",
            "ip_address": "10.6.6.6",
            "reason": "本人来电",
        },
    )
    assert lifted.status_code == 302
    event = AuditEvent.objects.filter(target_type="axes.accessattempt").latest("seq")
    assert event.action == "delete" and event.actor_id == county.admin.pk and "staff_a" in event.target_repr
    assert "staff_a" not in admin.get("/org/lockouts/").content.decode()
    assert _logged_in(_login(Client(), "staff_a", PASSWORD, "10.6.6.6"))


def test_only_the_administrator_opens_the_lockout_page(county: Any) -> None:
    client = Client()
    client.force_login(county.coordinator)
    assert client.get("/org/lockouts/").status_code == 403
    assert client.post("/org/lockouts/lift/", {"kind": "username"}).status_code == 403
