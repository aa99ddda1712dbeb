from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.org import services
from zhaoshang.org.models import Membership, Unit
from zhaoshang.org.principal import principal_for
from zhaoshang.org.tests.factories import UnitFactory, UnitKindFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_units_hang_off_their_parent_by_path(county: object) -> None:
    a, park = county.town_a, county.village_a  # type: ignore[attr-defined]
    assert park.path.startswith(a.path) and park.depth == a.depth + 1
    assert a.jurisdiction_path == county.county.path  # type: ignore[attr-defined]


def test_moving_a_unit_moves_its_subtree(county: object) -> None:
    services.unit_move(by=SYSTEM, unit=county.town_a, parent=county.town_b, reason="区划调整")  # type: ignore[attr-defined]
    park = Unit.objects.get(pk=county.village_a.pk)  # type: ignore[attr-defined]
    assert park.path.startswith(county.town_b.path)  # type: ignore[attr-defined]
    assert park.depth == 3
    event = AuditEvent.objects.filter(target_id=str(county.town_a.pk), action="update").latest("seq")  # type: ignore[attr-defined]
    assert event.reason == "区划调整"


def test_a_unit_cannot_move_under_its_own_subtree(county: object) -> None:
    with pytest.raises(ValidationError):
        services.unit_move(by=SYSTEM, unit=county.town_a, parent=county.village_a)  # type: ignore[attr-defined]


def test_an_update_records_only_what_changed_with_before_and_after(county: object) -> None:
    staff = principal_for(county.staff_a)  # type: ignore[attr-defined]
    a = county.town_a  # type: ignore[attr-defined]
    a.phone = "0571-1"
    a.save()
    changed = services.unit_update_profile(
        by=staff, unit=a, data={"phone": "0571-2", "address": a.address}, reason="核对"
    )
    assert changed == ["phone"]
    event = audit.history(a)[0]
    assert event.before == {"phone": "0571-1"} and event.after == {"phone": "0571-2"}
    assert event.reason == "核对"


def test_nothing_changed_writes_no_event(county: object) -> None:
    staff = principal_for(county.staff_a)  # type: ignore[attr-defined]
    count = AuditEvent.objects.count()
    assert (
        services.unit_update_profile(by=staff, unit=county.town_a, data={"phone": county.town_a.phone}) == []
    )  # type: ignore[attr-defined]
    assert AuditEvent.objects.count() == count


def test_a_service_refuses_a_unit_outside_scope(county: object) -> None:
    staff = principal_for(county.staff_a)  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):
        services.unit_update_profile(by=staff, unit=county.town_b, data={"phone": "1"})  # type: ignore[attr-defined]


def test_only_profile_fields_may_be_changed_by_staff(county: object) -> None:
    staff = principal_for(county.staff_a)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        services.unit_update_profile(by=staff, unit=county.town_a, data={"name": "改名"})  # type: ignore[attr-defined]


def test_removing_a_role_needs_a_reason_and_is_audited(county: object) -> None:
    security = principal_for(county.security)  # type: ignore[attr-defined]
    membership = Membership.objects.get(user=county.staff_a)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        services.membership_remove(by=security, membership=membership, reason=" ")
    services.membership_remove(by=security, membership=membership, reason="调离")
    event = AuditEvent.objects.filter(action="delete").latest("seq")
    assert event.reason == "调离" and event.before["role"] == Role.UNIT_STAFF


def test_passwords_are_validated_and_never_logged(county: object) -> None:
    admin = principal_for(county.admin)  # type: ignore[attr-defined]
    for weak in ["short1", "1234567890123", "password123"]:
        with pytest.raises(ValidationError):
            services.user_create(by=admin, username=f"u{weak}", password=weak)
    user = services.user_create(
        by=admin, username="newcomer", password="Lake-Pine-2026!", display_name="新同事"
    )
    services.user_set_password(by=admin, user=user, password="River-Stone-2027!")
    for event in AuditEvent.objects.filter(target_type="org.user", target_id=str(user.pk)):
        text = str(event.before) + str(event.after)
        assert "Lake-Pine" not in text and "River-Stone" not in text and "pbkdf2" not in text


def test_a_leader_belongs_to_a_jurisdiction(county: object) -> None:
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.leader_set(by=SYSTEM, user=user, unit=county.town_a, title="镇长")  # type: ignore[attr-defined]
    leader = services.leader_set(by=SYSTEM, user=user, unit=county.county, title="副县长")  # type: ignore[attr-defined]
    assert leader.unit == county.county  # type: ignore[attr-defined]


def test_a_new_role_notifies_its_holder(county: object) -> None:
    user = UserFactory()
    services.membership_add(by=SYSTEM, user=user, unit=county.town_b, role=Role.UNIT_STAFF)  # type: ignore[attr-defined]
    assert user.notifications.count() == 1


def test_unit_kinds_are_data() -> None:
    kind = services.unit_kind_create(by=SYSTEM, code="zone", name="综合保税区", sort_order=65)
    unit = UnitFactory(name="示范综保区", kind=kind)
    assert unit.kind.name == "综合保税区"
    assert UnitKindFactory(code="zone").pk == kind.pk
