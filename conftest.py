"""Shared test set-up: fast hashing, Debian's Chromium for Playwright, and a small county with personas.

Personas (as in healthchecks' tests): two towns A and B each with a staff member, a coordinator
in the investment bureau, a county leader, an inspector, an enterprise user, an administrator, a
security administrator and an auditor.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
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


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Figures kept per scope (home tiles, summary lines) are cached: each test starts from none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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


# Audit anchors: each test gets its own second place, never the checkout's var/audit-anchors.
@pytest.fixture(autouse=True)
def _own_audit_anchors(settings: object, tmp_path: Path) -> None:
    settings.ZHAOSHANG_AUDIT_ANCHOR_DIR = tmp_path / "audit-anchors"  # type: ignore[attr-defined]


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
    security: object  # 安全管理员: grants roles (三权分立)
    auditor: object  # 审计员: reads the audit log


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
        security=person("security", county, Role.SECURITY_ADMIN),
        auditor=person("auditor", county, Role.AUDITOR),
    )


# --- The demo county 示范县, built once per session -------------------------------------------------
#
# Building it takes about ten seconds, so it is built once, inside a transaction that stays open
# while the tests that ask for `demo_county` run; each of them runs in a savepoint of its own (the
# `db` fixture's usual transaction, nested), so what a test writes is rolled back and the next one
# sees the demo as built. The outer transaction is rolled back before any other test runs, so the
# rest of the suite sees the empty database it always saw. For that, the tests are reordered:
#
#   1. database tests without the demo, 2. `demo_county` tests, 3. `demo_fingerprint` tests
#   (they build the demo again on an empty database), 4. transactional tests (`live_server`, e2e:
#   they flush, and build the demo themselves), 5. tests without a database.
#
# A test that needs the demo and must commit (`transaction=True`, `live_server`) builds it itself.


class _DemoSession:
    def __init__(self) -> None:
        self.atomic: object | None = None
        self.blocker: object | None = None
        self.counts: dict[str, int] = {}
        self.fingerprint: dict | None = None
        self.closed = False

    def open(self, blocker: object) -> None:
        from django.db import transaction
        from django.test.utils import override_settings

        from zhaoshang.demo.county import build_demo_county
        from zhaoshang.demo.tests.fingerprint import demo_fingerprint

        self.blocker = blocker
        with blocker.unblock():  # type: ignore[attr-defined]
            self.atomic = transaction.atomic()
            self.atomic._from_testcase = True  # type: ignore[attr-defined]  # durable blocks may nest in it
            self.atomic.__enter__()  # type: ignore[attr-defined]
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                self.counts = build_demo_county()
            self.fingerprint = demo_fingerprint()

    def close(self) -> None:
        if self.atomic is None or self.closed:
            return
        from django.db import transaction

        with self.blocker.unblock():  # type: ignore[attr-defined]
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)  # type: ignore[attr-defined]
        self.closed = True


_DEMO = _DemoSession()


@dataclass
class Demo:
    counts: dict[str, int]

    def unit(self, name: str) -> object:
        from zhaoshang.org.models import Unit

        return Unit.objects.get(name=name)

    def user(self, username: str) -> object:
        from zhaoshang.org.models import User

        return User.objects.get(username=username)


@pytest.fixture(scope="session")
def _demo_session(django_db_setup: None, django_db_blocker: object) -> object:
    if _DEMO.closed:
        pytest.fail("demo_county tests must run before the transactional ones (see conftest.py)")
    if _DEMO.atomic is None:
        _DEMO.open(django_db_blocker)
    yield _DEMO
    _DEMO.close()


@pytest.fixture
def demo_county(_demo_session: _DemoSession, db: None) -> Demo:
    """The demo county as `build_demo_county()` leaves it; what the test writes is rolled back."""
    if _demo_session.closed:
        pytest.fail("demo_county tests must run before the transactional ones (see conftest.py)")
    return Demo(counts=dict(_demo_session.counts))


@pytest.fixture
def demo_fingerprint(db: None) -> dict:
    """The fingerprint of a first build of the demo (the session's when it was built), for a second to match."""
    if _DEMO.fingerprint is not None:
        return _DEMO.fingerprint
    from django.db import transaction

    from zhaoshang.demo.county import build_demo_county
    from zhaoshang.demo.tests.fingerprint import demo_fingerprint as fingerprint

    with transaction.atomic():
        build_demo_county()
        first = fingerprint()
        transaction.set_rollback(True)
    return first


def _group(item: pytest.Item) -> int:
    fixtures = getattr(item, "fixturenames", [])
    marker = item.get_closest_marker("django_db")
    transactional = bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )
    test_cls = getattr(item, "cls", None)
    if test_cls is not None:
        from django.test import TestCase, TransactionTestCase

        if issubclass(test_cls, TransactionTestCase):
            return 3 if not issubclass(test_cls, TestCase) else 0
    if transactional:
        return 3
    if "demo_county" in fixtures:
        return 1
    if "demo_fingerprint" in fixtures:
        return 2
    if marker or "db" in fixtures:
        return 0
    return 4


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_group)  # stable: pytest-django's order stays within each group


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if _DEMO.atomic is not None and "demo_county" not in getattr(item, "fixturenames", []):
        _DEMO.close()
