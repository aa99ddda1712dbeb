"""Password rules (three kinds of character, none of the last five again), expiry, and the change
forced after an administrator's reset (等保 身份鉴别 a)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.org import services
from zhaoshang.org.models import ApiToken, PasswordHistory
from zhaoshang.org.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _messages(password: str, user: Any = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


def test_a_password_needs_three_kinds_of_character() -> None:
    rule = "密码须包含大写字母、小写字母、数字、符号四类中的至少 3 类。"
    assert rule in _messages("qwertzuiopas")
    assert rule in _messages("qwertz987654")
    assert _messages("Qwertz987654") == []
    assert _messages("qwertz-98765") == []


def test_the_account_page_refuses_a_simple_password_in_chinese() -> None:
    user = UserFactory(username="sun")
    client = Client()
    client.force_login(user)
    page = client.post(
        "/accounts/",
        {
            "form": "password",
            "old_password": PASSWORD,
            "new_password1": "abcdefgh1234",
            "new_password2": "abcdefgh1234",
        },
    ).content.decode()
    assert "至少 3 类" in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_none_of_the_last_five_passwords_may_be_chosen_again() -> None:
    user = UserFactory(username="zhou")
    used = [f"Rotation-{n}-pass" for n in range(1, 6)]
    for password in used:
        services.user_set_password(by=SYSTEM, user=user, password=password)
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for password in used:
        assert "不能与最近 5 次使用过的密码相同。" in _messages(password, user)
    # The one before those five may come back.
    assert _messages(PASSWORD, user) == []
    assert all("Rotation" not in h for h in PasswordHistory.objects.values_list("password", flat=True))


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_an_expired_password_must_be_changed_before_anything_else(settings: Any) -> None:
    settings.ZHAOSHANG_PASSWORD_MAX_AGE_DAYS = 90
    user = UserFactory(username="wu")
    type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client = Client()
    _login(client, "wu", PASSWORD)
    away = client.get("/org/units/")
    assert away.status_code == 302 and away.url == "/accounts/password/"
    page = client.get("/accounts/password/").content.decode()
    assert "超过 90 天" in page
    new = "Fresh-Spring-2027"
    done = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302 and done.url == "/"
    assert client.get("/org/units/").status_code != 302


def test_expiry_is_off_by_default_and_ninety_days_in_production(settings: Any) -> None:
    assert settings.ZHAOSHANG_PASSWORD_MAX_AGE_DAYS == 0
    user = UserFactory(username="zheng")
    type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=900))
    client = Client()
    assert _login(client, "zheng", PASSWORD).url == "/"
    assert client.get("/").status_code == 200
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    env.update(ZHAOSHANG_ENV="production", SECRET_KEY="p" * 20 + "Q7#x" * 10, ALLOWED_HOSTS="x.gov.cn")
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.ZHAOSHANG_PASSWORD_MAX_AGE_DAYS, ','.join(s.ZHAOSHANG_2FA_REQUIRED_ROLES))"
    )
    env["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings"
    out = subprocess.run(  # noqa: S603  # our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.split() == ["90", "coordinator,inspector,admin"]


def test_after_an_administrators_reset_the_user_must_choose_a_new_password(county: Any) -> None:
    person = county.staff_a
    own = Client()
    own.force_login(person)
    _token, raw = services.token_create(by=SYSTEM, user=person, name="脚本")
    admin = Client()
    admin.force_login(county.admin)
    page = admin.post(f"/org/users/{person.pk}/password/", {"reason": "本人忘记密码"}).content.decode()
    assert "临时密码只显示这一次" in page
    temporary = page.split('id="temporary-password"')[1].split('value="')[1].split('"')[0]
    event = AuditEvent.objects.filter(target_type="org.user", target_id=str(person.pk)).latest("seq")
    assert event.actor_id == county.admin.pk and event.reason == "本人忘记密码"
    assert temporary not in str(event.after)
    # Their open session ended, their token no longer works.
    assert own.get("/org/units/").status_code == 302
    assert ApiToken.objects.get(user=person).revoked_at is not None
    assert Client().get("/api/org/units", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    client = Client()
    assert _login(client, "staff_a", temporary).status_code == 302
    away = client.get("/org/units/")
    assert away.url == "/accounts/password/"
    assert "管理员已重置您的密码" in client.get("/accounts/password/").content.decode()
    new = "Own-Choice-2027!"
    client.post(
        "/accounts/password/", {"old_password": temporary, "new_password1": new, "new_password2": new}
    )
    person.refresh_from_db()
    assert person.must_change_password is False and person.check_password(new)
    assert client.get("/org/units/").status_code == 200


def test_a_password_change_revokes_the_users_api_tokens() -> None:
    user = UserFactory(username="feng")
    _token, raw = services.token_create(by=SYSTEM, user=user, name="脚本")
    assert Client().get("/api/org/units", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code != 401
    client = Client()
    client.force_login(user)
    new = "Another-Pass-2027"
    client.post(
        "/accounts/",
        {"form": "password", "old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert Client().get("/api/org/units", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert AuditEvent.objects.filter(target_type="org.apitoken", reason="修改密码后吊销").exists()
    # The session that changed the password goes on.
    assert client.get("/accounts/").status_code == 200
