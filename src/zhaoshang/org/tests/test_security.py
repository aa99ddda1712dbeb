"""Log-in lockout, session timeout, password rules, security events, and the production settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from zhaoshang.core.models import AuditEvent
from zhaoshang.org.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client: object, username: str, password: str) -> object:
    return client.post("/accounts/login/", {"username": username, "password": password})  # type: ignore[attr-defined]


def test_logging_in_works_and_is_recorded(client: object) -> None:
    user = UserFactory(username="wang")
    response = _login(client, "wang", PASSWORD)
    assert response.status_code == 302 and response.url == "/"  # type: ignore[attr-defined]
    event = AuditEvent.objects.filter(action="login").latest("seq")
    assert event.actor_id == user.pk and event.ip == "127.0.0.1"


def test_five_failures_lock_the_account_for_fifteen_minutes(client: object) -> None:
    UserFactory(username="li")
    for _ in range(5):
        page = _login(client, "li", "wrong-password")
    assert "锁定" in page.content.decode()  # type: ignore[attr-defined]
    locked = _login(client, "li", PASSWORD)
    assert locked.status_code in (403, 429) and "锁定" in locked.content.decode()  # type: ignore[attr-defined]
    failures = AuditEvent.objects.filter(action="login_failed")
    assert failures.count() >= 5
    assert all("wrong-password" not in str(e.after) for e in failures)
    assert django_settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_a_wrong_password_gets_a_chinese_message(client: object) -> None:
    UserFactory(username="zhao")
    page = _login(client, "zhao", "not-it").content.decode()  # type: ignore[attr-defined]
    assert "请输入一个正确的" in page or "用户名和密码" in page


def test_sessions_expire_after_thirty_idle_minutes() -> None:
    # The idle clock itself is tested in test_sessions.py: written at most once a minute.
    assert django_settings.SESSION_COOKIE_AGE == 1800


def test_pages_need_a_log_in(client: object) -> None:
    response = client.get("/org/units/")  # type: ignore[attr-defined]
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")  # type: ignore[attr-defined]
    assert client.get("/api/org/units").status_code == 401  # type: ignore[attr-defined]


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update({"ZHAOSHANG_ENV": "production", "DJANGO_SETTINGS_MODULE": "zhaoshang.settings"}, **extra)
    return env


def test_production_settings_pass_check_deploy() -> None:
    env = _production_env(SECRET_KEY="p" * 20 + "Q7#x" * 10, ALLOWED_HOSTS="zhaoshang.example.gov.cn")
    result = subprocess.run(
        [sys.executable, "-m", "zhaoshang", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "zhaoshang", "check"],
        env=_production_env(ALLOWED_HOSTS="x.gov.cn"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_shows_no_debug_page(settings: object, client: object) -> None:
    assert settings.DEBUG is False  # type: ignore[attr-defined]
    response = client.get("/no-such-page/")  # type: ignore[attr-defined]
    assert response.status_code in (302, 404) and b"Traceback" not in response.content


def test_behind_a_proxy_the_client_address_is_the_proxys_view(client: object, settings: object) -> None:
    settings.ZHAOSHANG_PROXY_COUNT = 1  # type: ignore[attr-defined]
    UserFactory(username="qian")
    client.post(  # type: ignore[attr-defined]
        "/accounts/login/",
        {"username": "qian", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3",
        REMOTE_ADDR="127.0.0.1",
    )
    assert AuditEvent.objects.filter(action="login").latest("seq").ip == "10.1.2.3"


def test_a_forged_request_id_is_replaced(client: object) -> None:
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="x' OR 1=1; <script>")  # type: ignore[attr-defined]
    assert response["X-Request-Id"].isalnum()
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="nginx-42").headers["X-Request-Id"] == "nginx-42"  # type: ignore[attr-defined]
