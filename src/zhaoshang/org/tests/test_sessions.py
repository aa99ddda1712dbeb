"""Sessions: 30 idle minutes without a write on every request, 12 hours at most, at most three at
once, and a password change ending the others (等保 身份鉴别 b)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from zhaoshang.org import sessions
from zhaoshang.org.models import UserSession
from zhaoshang.org.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(username: str) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def _age(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def _out(response: Any) -> bool:
    return response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_session_ends_twelve_hours_after_its_log_in_however_busy(settings: Any) -> None:
    assert settings.ZHAOSHANG_SESSION_ABSOLUTE_SECONDS == 12 * 3600
    UserFactory(username="he")
    client = _login("he")
    _age(client, sessions.START, 12 * 3600 - 60)
    assert client.get("/").status_code == 200
    _age(client, sessions.START, 12 * 3600 + 1)
    assert _out(client.get("/"))
    assert "会话已超过最长时限" in client.get("/accounts/login/").content.decode()
    assert _out(client.get("/"))


def test_thirty_idle_minutes_end_a_session(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    UserFactory(username="lv")
    client = _login("lv")
    _age(client, sessions.SEEN, 29 * 60)
    assert client.get("/").status_code == 200
    _age(client, sessions.SEEN, 31 * 60)
    assert _out(client.get("/"))


def test_the_idle_clock_is_written_at_most_once_a_minute(settings: Any) -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    UserFactory(username="shi")
    client = _login("shi")
    key = client.session.session_key

    def expiry() -> object:
        return Session.objects.get(session_key=key).expire_date

    before = expiry()
    for _ in range(3):
        assert client.get("/accounts/").status_code == 200
    assert expiry() == before, "requests within a minute save nothing"
    _age(client, sessions.SEEN, 90)
    before = expiry()
    client.get("/accounts/")
    assert expiry() > before, "after a minute the request moves the expiry on"


def test_a_fourth_log_in_ends_the_oldest_session() -> None:
    user = UserFactory(username="kong")
    clients = [_login("kong") for _ in range(4)]
    assert _out(clients[0].get("/accounts/"))
    assert all(c.get("/accounts/").status_code == 200 for c in clients[1:])
    assert UserSession.objects.filter(user=user).count() == 3
    clients[1].post("/accounts/logout/")
    assert UserSession.objects.filter(user=user).count() == 2


def test_a_password_change_ends_the_other_sessions() -> None:
    user = UserFactory(username="cao")
    changer, other = _login("cao"), _login("cao")
    new = "Changed-Pass-2027"
    changer.post(
        "/accounts/",
        {"form": "password", "old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert _out(other.get("/accounts/"))
    assert changer.get("/accounts/").status_code == 200
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        changer.session.session_key
    ]
