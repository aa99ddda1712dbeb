"""Shared test set-up: fast hashing, Debian's Chromium for Playwright, and a small county with personas.

Personas (as in healthchecks' tests): two towns A and B each with a staff member, a coordinator
in the investment bureau, a county leader, an inspector, an enterprise user and an administrator.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the test thread; Django would refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 860}}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _fast_hasher(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@dataclass
class County:
    county: object
    bureau: object
    town_a: object
    town_b: object
    village_a: object
    leader: object
    coordinator: object
    staff_a: object
    staff_b: object
    inspector: object
    enterprise: object
    admin: object


@pytest.fixture
def county(db: None) -> County:
    from zhaoshang.core.roles import Role
    from zhaoshang.org.tests.factories import MembershipFactory, UnitFactory, UnitKindFactory, UserFactory

    county_kind = UnitKindFactory(code="county")
    town_kind = UnitKindFactory(code="town")
    dept_kind = UnitKindFactory(code="department")
    county = UnitFactory(name="测试县", kind=county_kind)
    bureau = UnitFactory(name="测试县招商局", kind=dept_kind, parent=county)
    town_a = UnitFactory(name="甲镇", kind=town_kind, parent=county)
    town_b = UnitFactory(name="乙镇", kind=town_kind, parent=county)
    village_a = UnitFactory(name="甲镇工业功能区", kind=UnitKindFactory(code="park"), parent=town_a)

    def person(username: str, unit: object, role: Role) -> object:
        user = UserFactory(username=username, display_name=username)
        MembershipFactory(user=user, unit=unit, role=role)
        return user

    return County(
        county=county,
        bureau=bureau,
        town_a=town_a,
        town_b=town_b,
        village_a=village_a,
        leader=person("leader", county, Role.LEADER),
        coordinator=person("coordinator", bureau, Role.COORDINATOR),
        staff_a=person("staff_a", town_a, Role.UNIT_STAFF),
        staff_b=person("staff_b", town_b, Role.UNIT_STAFF),
        inspector=person("inspector", county, Role.INSPECTOR),
        enterprise=person("enterprise", town_a, Role.ENTERPRISE),
        admin=person("admin", county, Role.ADMIN),
    )
