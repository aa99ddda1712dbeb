"""Log-in throttling at scale: distributed guessing of one account, password spraying from one
address and from many, and a county office behind one NAT address that must still get in.

Figures: how many passwords each attack had checked before it was refused, and whether the office
logged in. A `failures` count above zero fails `make hardening`.
"""

from __future__ import annotations

import time
from typing import Any

NAME = "login_throttling"


def run() -> dict[str, Any]:
    from axes.models import AccessAttempt
    from django.db import transaction
    from django.test import Client
    from django.test.utils import override_settings

    from zhaoshang.org.models import User

    password = "Correct-Horse-77"  # noqa: S105
    figures: dict[str, Any] = {}
    started = time.monotonic()
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], ALLOWED_HOSTS=["testserver"]
    )
    with fast, transaction.atomic():
        users = [User(username=f"hard-login-{n}") for n in range(300)]
        for user in users:
            user.set_password(password)
        User.objects.bulk_create(users)
        AccessAttempt.objects.all().delete()

        def attempt(username: str, guess: str, ip: str) -> str:
            answer = Client().post(
                "/accounts/login/", {"username": username, "password": guess}, REMOTE_ADDR=ip
            )
            if answer.status_code in (403, 429):
                return "refused"
            return "in" if answer.status_code == 302 else "wrong"

        # 1. One account, 200 addresses x 5 guesses (1,000 guesses).
        answers = [attempt("hard-login-0", f"guess-{n}", f"10.10.{n // 5}.{n % 5 + 1}") for n in range(1000)]
        figures["distributed_guesses"] = len(answers)
        figures["distributed_checked_before_lock"] = answers.index("refused") + 1  # the locking one counts
        figures["distributed_right_password_after_lock"] = attempt("hard-login-0", password, "10.99.0.1")
        # 2. One password sprayed over 299 accounts from one address.
        answers = [attempt(f"hard-login-{n}", "Spring-2026-pw", "10.20.0.1") for n in range(1, 300)]
        figures["spray_one_address_checked_before_lock"] = answers.index("refused") + 1
        # 3. The same from 20 addresses, each taking 299 accounts in turn.
        AccessAttempt.objects.all().delete()
        checked = sum(
            attempt(f"hard-login-{n}", "Summer-2026-pw", f"10.30.0.{a + 1}") == "wrong"
            for a in range(20)
            for n in range(1, 300)
        )
        figures["spray_twenty_addresses_guesses"] = 20 * 299
        figures["spray_twenty_addresses_checked"] = checked
        # 4. An office of 100 behind one NAT address: each mistypes twice, then gets it right.
        AccessAttempt.objects.all().delete()
        office = 0
        for n in range(100, 200):
            attempt(f"hard-login-{n}", "typo-1", "10.40.0.1")
            attempt(f"hard-login-{n}", "typo-2", "10.40.0.1")
            office += attempt(f"hard-login-{n}", password, "10.40.0.1") == "in"
        figures["nat_office_logins_ok"] = office
        transaction.set_rollback(True)
    figures["failures"] = sum(
        [
            figures["distributed_checked_before_lock"] != 10,
            figures["distributed_right_password_after_lock"] != "refused",  # noqa: S105  # an answer, not a password
            figures["spray_one_address_checked_before_lock"] != 15,
            figures["spray_twenty_addresses_checked"] > 20 * 15,
            figures["nat_office_logins_ok"] != 100,
        ]
    )
    figures["seconds"] = round(time.monotonic() - started, 1)
    return figures
