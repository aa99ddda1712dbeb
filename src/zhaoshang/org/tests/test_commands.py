from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from zhaoshang.core.models import Job
from zhaoshang.core.roles import Role
from zhaoshang.demo.county import demo_logins
from zhaoshang.org.models import Leader, Membership, Unit, User

pytestmark = pytest.mark.django_db

BOOTSTRAP = [
    "bootstrap",
    "--province",
    "浙江省",
    "--city",
    "丽水市",
    "--county",
    "遂昌县",
    "--admin",
    "it-admin",
    "--password",
    "Mountain-Tea-2026",
]


def test_bootstrap_creates_the_chain_and_an_administrator(capsys: pytest.CaptureFixture[str]) -> None:
    call_command(*BOOTSTRAP)
    county = Unit.objects.get(name="遂昌县")
    assert county.parent.name == "丽水市" and county.parent.parent.name == "浙江省"
    assert Membership.objects.get(user__username="it-admin").role == Role.ADMIN
    with pytest.raises(CommandError, match="已存在"):
        call_command(*BOOTSTRAP)


def test_bootstrap_also_creates_the_security_administrator_who_grants_roles() -> None:
    call_command(*BOOTSTRAP, "--security-admin", "it-security", "--security-password", "River-Stone-2026")
    assert Membership.objects.get(user__username="it-security").role == Role.SECURITY_ADMIN
    assert Membership.objects.get(user__username="it-admin").role == Role.ADMIN


def test_bootstrap_refuses_a_weak_password() -> None:
    with pytest.raises(CommandError):
        call_command(
            "bootstrap",
            "--province",
            "省",
            "--city",
            "市",
            "--county",
            "县",
            "--admin",
            "a",
            "--password",
            "12345678",
        )
    assert not User.objects.exists() and not Unit.objects.exists()


def test_the_demo_county_is_complete_and_deterministic(demo_county: object) -> None:
    # Built once per session (conftest.py); demo/tests/test_demo.py builds it again and compares.
    kinds = dict(Unit.objects.values_list("kind__code").annotate(n=Count("id")))
    assert kinds == {
        "province": 1,
        "city": 1,
        "county": 1,
        "department": 10,
        "town": 8,
        "park": 2,
        "team": 4,
        "office": 4,
        "leadership": 4,  # 县委, 县政府, 县人大, 县政协 (the outreach demo links the offices to them)
    }
    assert {login.role for login in demo_logins()} == set(Role)
    assert Leader.objects.filter(unit__name="示范县").count() == 5
    for login in demo_logins():  # the printed log-ins are the ones created, names included
        user = User.objects.get(username=login.username)
        assert user.display_name == login.name and user.memberships.get().role == login.role


def test_jobs_run_shows_the_result(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("jobs", "run", "audit.verify")
    assert "已完成" in capsys.readouterr().out
    assert Job.objects.get().status == Job.Status.DONE
    with pytest.raises(CommandError):
        call_command("jobs", "run", "no.such.kind")
