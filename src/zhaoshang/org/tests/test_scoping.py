"""Cross-unit scoping: a town cannot read or change another town's record, by page or by API."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from zhaoshang.core.roles import Role
from zhaoshang.org.models import Membership, Unit, User
from zhaoshang.org.principal import principal_for
from zhaoshang.org.tests.factories import MembershipFactory, UnitFactory, UnitKindFactory, UserFactory

pytestmark = pytest.mark.django_db


def _names(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_town_staff_list_only_their_own_town(client: object, county: object) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    page = _names(client.get("/org/units/"))  # type: ignore[attr-defined]
    assert "甲镇" in page and "甲镇工业功能区" in page
    assert "乙镇" not in page and "测试县招商局" not in page


def test_town_staff_cannot_open_or_edit_another_town(client: object, county: object) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    b = county.town_b  # type: ignore[attr-defined]
    assert client.get(f"/org/units/{b.pk}/").status_code == 404  # type: ignore[attr-defined]
    assert client.get(f"/org/units/{b.pk}/edit/").status_code == 404  # type: ignore[attr-defined]
    response = client.post(
        f"/org/units/{b.pk}/edit/", {"version": 1, "phone": "110", "contact_person": "冒名"}
    )  # type: ignore[attr-defined]
    assert response.status_code == 404
    b.refresh_from_db()
    assert b.phone != "110" and b.contact_person != "冒名"


def test_town_staff_can_edit_their_own_town_and_it_is_audited(client: object, county: object) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    a = county.town_a  # type: ignore[attr-defined]
    response = client.post(  # type: ignore[attr-defined]
        f"/org/units/{a.pk}/edit/",
        {"phone": "0571-88886666", "contact_person": "张三", "reason": "换了办公电话", "version": 1},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.phone == "0571-88886666"
    page = _names(client.get(f"/org/units/{a.pk}/"))  # type: ignore[attr-defined]
    assert "换了办公电话" in page and "0571-88886666" in page


def test_a_bad_phone_is_refused_in_chinese_and_what_was_typed_stays(client: object, county: object) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    a = county.town_a  # type: ignore[attr-defined]
    before = a.phone
    response = client.post(
        f"/org/units/{a.pk}/edit/", {"version": 1, "phone": "请打我手机", "address": "工业路 8 号"}
    )  # type: ignore[attr-defined]
    page = _names(response)
    assert response.status_code == 200
    assert "电话：只能填写数字" in page and "工业路 8 号" in page and "请打我手机" in page
    a.refresh_from_db()
    assert a.phone == before


def test_the_api_applies_the_same_scope(client: object, county: object) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    b = county.town_b  # type: ignore[attr-defined]
    listed = client.get("/api/org/units").json()  # type: ignore[attr-defined]
    assert {u["name"] for u in listed["items"]} == {"甲镇", "甲镇工业功能区"}
    assert client.get(f"/api/org/units/{b.pk}").status_code == 404  # type: ignore[attr-defined]


def test_the_api_refuses_to_change_another_town(county: object) -> None:
    from django.test import Client

    api = Client(enforce_csrf_checks=False)
    api.force_login(county.staff_a)  # type: ignore[attr-defined]
    b = county.town_b  # type: ignore[attr-defined]
    response = api.patch(
        f"/api/org/units/{b.pk}", json.dumps({"version": 1, "phone": "110"}), content_type="application/json"
    )
    assert response.status_code == 404
    b.refresh_from_db()
    assert b.phone != "110"


def test_coordinators_see_the_whole_county_and_inspectors_everything(client: object, county: object) -> None:
    client.force_login(county.coordinator)  # type: ignore[attr-defined]
    names = {u["name"] for u in client.get("/api/org/units?limit=100").json()["items"]}  # type: ignore[attr-defined]
    assert {"测试县", "甲镇", "乙镇", "测试县招商局"} <= names
    other = UnitFactory(name="邻县", kind=UnitKindFactory(code="county"))
    client.force_login(county.inspector)  # type: ignore[attr-defined]
    assert client.get(f"/org/units/{other.pk}/").status_code == 200  # type: ignore[attr-defined]
    client.force_login(county.coordinator)  # type: ignore[attr-defined]
    assert client.get(f"/org/units/{other.pk}/").status_code == 404  # type: ignore[attr-defined]


def test_inspectors_read_but_never_change(client: object, county: object) -> None:
    client.force_login(county.inspector)  # type: ignore[attr-defined]
    a = county.town_a  # type: ignore[attr-defined]
    assert client.get(f"/org/units/{a.pk}/").status_code == 200  # type: ignore[attr-defined]
    assert client.get(f"/org/units/{a.pk}/edit/").status_code == 403  # type: ignore[attr-defined]
    response = client.patch(
        f"/api/org/units/{a.pk}", json.dumps({"version": 1, "phone": "1"}), content_type="application/json"
    )  # type: ignore[attr-defined]
    assert response.status_code == 403


def test_enterprise_users_see_no_organisation(client: object, county: object) -> None:
    client.force_login(county.enterprise)  # type: ignore[attr-defined]
    assert client.get("/org/units/").status_code == 403  # type: ignore[attr-defined]
    assert client.get("/api/org/units").status_code == 403  # type: ignore[attr-defined]
    assert client.get("/api/org/me").json()["roles"] == ["enterprise"]  # type: ignore[attr-defined]


def test_people_lists_are_scoped_too(client: object, county: object) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    page = _names(client.get("/org/users/"))  # type: ignore[attr-defined]
    assert "staff_a" in page and "staff_b" not in page
    assert client.get(f"/org/users/{county.staff_b.pk}/").status_code == 404  # type: ignore[attr-defined]
    assert client.get(f"/api/org/users/{county.staff_b.pk}").status_code == 404  # type: ignore[attr-defined]


def _reference_visible(user: User) -> set[int]:
    """What a user may see, computed the slow obvious way: walk every unit up to its root."""
    memberships = list(Membership.objects.filter(user=user).select_related("unit__kind"))
    roles = {m.role for m in memberships}
    if roles & {Role.INSPECTOR, Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}:
        return set(Unit.objects.values_list("pk", flat=True))
    roots: set[int] = set()
    for m in memberships:
        if m.role in (Role.LEADER, Role.COORDINATOR):
            unit = m.unit
            while not unit.kind.is_jurisdiction and unit.parent_id:
                unit = unit.parent
            roots.add(unit.pk)
        elif m.role == Role.UNIT_STAFF:
            roots.add(m.unit_id)
    visible = set()
    for unit in Unit.objects.all():
        node: Unit | None = unit
        while node is not None:
            if node.pk in roots:
                visible.add(unit.pk)
                break
            node = node.parent
    return visible


class ScopeMatchesReference(HypothesisTestCase):
    """On random trees and random memberships, the path-prefix filter equals the tree walk."""

    @settings(max_examples=30, deadline=None)
    @given(
        shape=st.lists(
            st.tuples(st.integers(0, 30), st.sampled_from(["county", "town", "department", "park"])),
            min_size=1,
            max_size=14,
        ),
        grants=st.lists(st.tuples(st.integers(0, 30), st.sampled_from(list(Role))), min_size=1, max_size=3),
    )
    def test_visible_units_equal_the_tree_walk(
        self, shape: list[tuple[int, str]], grants: list[tuple[int, Role]]
    ) -> None:
        units = [UnitFactory(name="根", kind=UnitKindFactory(code="province"))]
        for parent_index, kind in shape:
            parent = units[parent_index % len(units)]
            units.append(UnitFactory(kind=UnitKindFactory(code=kind), parent=parent))
        user = UserFactory()
        for unit_index, role in grants:
            unit = units[unit_index % len(units)]
            if not Membership.objects.filter(user=user, unit=unit, role=role).exists():
                MembershipFactory(user=user, unit=unit, role=role)
        visible = set(Unit.objects.visible_to(principal_for(user)).values_list("pk", flat=True))
        assert visible == _reference_visible(user)


def test_a_second_role_does_not_lend_its_reach_to_writes(client: object, county: object) -> None:
    """An inspector who is also staff in town A reads everything but may change town A only."""
    MembershipFactory(user=county.inspector, unit=county.town_a, role=Role.UNIT_STAFF)  # type: ignore[attr-defined]
    client.force_login(county.inspector)  # type: ignore[attr-defined]
    a, b = county.town_a, county.town_b  # type: ignore[attr-defined]
    assert client.get(f"/org/units/{b.pk}/").status_code == 200  # type: ignore[attr-defined]
    assert client.post(f"/org/units/{b.pk}/edit/", {"version": 1, "phone": "110"}).status_code == 403  # type: ignore[attr-defined]
    patch = client.patch(
        f"/api/org/units/{b.pk}", json.dumps({"version": 1, "phone": "110"}), content_type="application/json"
    )  # type: ignore[attr-defined]
    assert patch.status_code == 403
    assert client.post(f"/org/units/{a.pk}/edit/", {"version": 1, "phone": "0571-1"}).status_code == 302  # type: ignore[attr-defined]
    b.refresh_from_db()
    assert b.phone != "110"


def test_a_leader_who_is_also_town_staff_edits_only_that_town(client: object, county: object) -> None:
    MembershipFactory(user=county.leader, unit=county.town_a, role=Role.UNIT_STAFF)  # type: ignore[attr-defined]
    client.force_login(county.leader)  # type: ignore[attr-defined]
    assert (
        client.post(f"/org/units/{county.town_b.pk}/edit/", {"version": 1, "phone": "1"}).status_code == 403
    )  # type: ignore[attr-defined]


def test_a_persons_roles_elsewhere_stay_hidden(client: object, county: object) -> None:
    MembershipFactory(user=county.staff_b, unit=county.village_a, role=Role.UNIT_STAFF)  # type: ignore[attr-defined]
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    person = client.get(f"/api/org/users/{county.staff_b.pk}").json()  # type: ignore[attr-defined]
    assert [m["unit"] for m in person["memberships"]] == ["甲镇工业功能区"]


@pytest.mark.parametrize("limit", [0, 1, 500])
def test_a_scope_of_many_units_reads_the_same_rows(limit: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond the unit-list limit the scope is a sub-query, or no condition at all when it covers
    the whole tree; whichever way it is asked, the rows are the same."""
    from zhaoshang.core import scoping
    from zhaoshang.enterprises.models import Enterprise
    from zhaoshang.enterprises.tests.factories import EnterpriseFactory

    monkeypatch.setattr(scoping, "UNIT_LIST_LIMIT", limit)
    province = UnitFactory(name="本省", kind=UnitKindFactory(code="province"))
    towns = [UnitFactory(kind=UnitKindFactory(code="town"), parent=province) for _ in range(3)]
    mine = [EnterpriseFactory(town=t) for t in towns]
    at_root, at_town = UserFactory(), UserFactory()
    MembershipFactory(user=at_root, unit=province, role=Role.UNIT_STAFF)
    MembershipFactory(user=at_town, unit=towns[0], role=Role.UNIT_STAFF)

    def seen(user: User) -> set[int]:
        return set(Enterprise.objects.visible_to(principal_for(user)).values_list("pk", flat=True))

    assert seen(at_root) == {e.pk for e in mine}
    assert seen(at_town) == {mine[0].pk}
    other = UnitFactory(name="邻省", kind=UnitKindFactory(code="province"))  # a second tree
    EnterpriseFactory(town=UnitFactory(kind=UnitKindFactory(code="town"), parent=other))
    assert seen(at_root) == {e.pk for e in mine}
