"""Two-factor authentication: set-up with a QR code drawn on the server, the code after the
password, single-use recovery codes, roles that require it, the administrator's reset."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhaoshang.core.models import AuditEvent
from zhaoshang.org.tests.factories import PASSWORD
from zhaoshang.org.views_security import PENDING_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_device_throttle(settings: Any) -> None:
    """django-otp makes a device wait 1 s after a failure (doubling); a test does not wait."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(key_hex: str, steps_ahead: int = 0) -> str:
    totp = TOTP(bytes.fromhex(key_hex), step=30, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _login(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _enrol(client: Client) -> tuple[str, list[str]]:
    page = client.get("/accounts/2fa/").content.decode()
    assert '<svg width="' in page and "两步验证二维码" in page and "<img" not in page.split("<main")[1]
    key = client.session[PENDING_KEY]
    wrong = client.post("/accounts/2fa/", {"token": "000000" if _code(key) != "000000" else "111111"})
    assert "与验证器应用显示的不符" in wrong.content.decode()
    done = client.post("/accounts/2fa/", {"token": _code(key)}).content.decode()
    assert "只显示这一次" in done
    codes = [c.split("<")[0] for c in done.split('<li class="list-group-item font-monospace">')[1:]]
    return key, codes


def test_enrolment_then_the_code_is_asked_after_the_password(county: Any) -> None:
    client = _login("coordinator")
    key, codes = _enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=county.coordinator).confirmed
    event = AuditEvent.objects.filter(target_type="org.user", target_id=str(county.coordinator.pk)).latest(
        "seq"
    )
    assert "启用两步验证" in event.reason and key not in str(event.after) and codes[0] not in str(event.after)
    assert client.get("/org/units/").status_code == 200  # the set-up verified this session

    client = _login("coordinator")
    away = client.get("/org/units/")
    assert away.status_code == 302 and away.url == "/accounts/2fa/verify/?next=%2Forg%2Funits%2F"
    assert client.get("/api/org/units").status_code == 403
    # The code of the set-up cannot be replayed; a wrong one is answered in Chinese.
    assert "验证码不正确" in client.post("/accounts/2fa/verify/", {"token": "12345"}).content.decode()
    ok = client.post("/accounts/2fa/verify/", {"token": _code(key, steps_ahead=1), "next": "/org/units/"})
    assert ok.status_code == 302 and ok.url == "/org/units/"
    assert client.get("/org/units/").status_code == 200


def test_a_recovery_code_works_once(county: Any) -> None:
    _key, codes = _enrol(_login("inspector"))
    client = _login("inspector")
    assert client.post("/accounts/2fa/verify/", {"token": codes[0]}).url == "/"
    assert AuditEvent.objects.filter(reason="使用一个恢复码完成两步验证").exists()
    assert StaticToken.objects.filter(device__user=county.inspector).count() == 9
    again = _login("inspector")
    refused = again.post("/accounts/2fa/verify/", {"token": codes[0]})
    assert refused.status_code == 200 and "验证码不正确或已使用过" in refused.content.decode()
    assert again.get("/org/units/").url.startswith("/accounts/2fa/verify/")
    assert again.post("/accounts/2fa/verify/", {"token": codes[1]}).url == "/"


def test_a_role_that_requires_it_is_sent_to_set_it_up(county: Any, settings: Any) -> None:
    # Locally (and in the demo) nobody is required to: the password alone logs in.
    assert settings.ZHAOSHANG_2FA_REQUIRED_ROLES == []
    assert _login("coordinator").get("/org/units/").status_code == 200
    settings.ZHAOSHANG_2FA_REQUIRED_ROLES = ["coordinator", "inspector", "admin"]
    client = _login("coordinator")
    away = client.get("/org/units/")
    assert away.status_code == 302 and away.url == "/accounts/2fa/"
    assert "您的角色须启用两步验证" in client.get("/accounts/2fa/").content.decode()
    # Other roles are not held up.
    assert _login("staff_a").get("/org/units/").status_code == 200
    _enrol(client)
    assert client.get("/org/units/").status_code == 200


def test_the_administrator_resets_a_lost_second_factor(county: Any) -> None:
    own = _login("leader")
    _enrol(own)
    admin = Client()
    admin.force_login(county.admin)
    assert "已启用" in admin.get(f"/org/users/{county.leader.pk}/").content.decode()
    admin.post(f"/org/users/{county.leader.pk}/2fa/", {"reason": "手机丢失"})
    assert not TOTPDevice.objects.filter(user=county.leader).exists()
    event = AuditEvent.objects.filter(reason="手机丢失").get()
    assert event.actor_id == county.admin.pk and event.target_id == str(county.leader.pk)
    assert own.get("/org/units/").status_code == 302  # the session ended
    assert _login("leader").get("/org/units/").status_code == 200
    client = Client()
    client.force_login(county.coordinator)
    assert client.post(f"/org/users/{county.leader.pk}/2fa/", {"reason": "x"}).status_code == 403
