"""三权分立: running the organisation, granting roles and reading the audit log are three roles' work."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhaoshang.core.roles import _ALLOWED, Action, Role, allowed
from zhaoshang.org import services
from zhaoshang.org.models import Membership
from zhaoshang.org.principal import principal_for


def test_no_role_holds_two_of_the_three_powers() -> None:
    powers = (Action.MANAGE_ORG, Action.MANAGE_ROLES, Action.VIEW_AUDIT)
    for role, actions in _ALLOWED.items():
        assert sum(p in actions for p in powers) <= 1, role
    assert allowed(frozenset({Role.ADMIN}), Action.MANAGE_ORG)
    assert not allowed(frozenset({Role.ADMIN}), Action.VIEW_AUDIT)
    assert not allowed(frozenset({Role.ADMIN}), Action.MANAGE_ROLES)
    assert allowed(frozenset({Role.SECURITY_ADMIN}), Action.MANAGE_ROLES)
    assert allowed(frozenset({Role.SECURITY_ADMIN}), Action.VIEW_SECURITY)
    assert allowed(frozenset({Role.AUDITOR}), Action.VIEW_AUDIT)
    assert allowed(frozenset({Role.INSPECTOR}), Action.VIEW_AUDIT)  # inspectors keep what they had
    assert Role.SECURITY_ADMIN.label == "安全管理员" and Role.AUDITOR.label == "审计员"


@pytest.mark.django_db
def test_the_services_refuse_the_admin_granting_and_anyone_granting_to_themselves(county: object) -> None:
    admin, security = county.admin, county.security  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):
        services.membership_add(by=principal_for(admin), user=admin, unit=county.county, role=Role.AUDITOR)  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):
        services.membership_add(
            by=principal_for(admin),
            user=county.staff_a,  # type: ignore[attr-defined]
            unit=county.county,  # type: ignore[attr-defined]
            role=Role.INSPECTOR,
        )
    with pytest.raises(PermissionDenied, match="自己"):
        services.membership_add(
            by=principal_for(security),
            user=security,
            unit=county.county,  # type: ignore[attr-defined]
            role=Role.ADMIN,
        )
    with pytest.raises(PermissionDenied, match="自己"):
        services.membership_remove(
            by=principal_for(security), membership=Membership.objects.get(user=security), reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.user_set_password(by=principal_for(admin), user=county.auditor, password="Quiet-Hill-2026")  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):
        services.token_create(by=principal_for(admin), user=security, name="t")


@pytest.mark.django_db
def test_the_admin_cannot_reset_an_oversight_account_but_the_security_admin_can_lift_locks(
    county: object,
) -> None:
    from zhaoshang.org import services_security

    admin, security = principal_for(county.admin), principal_for(county.security)  # type: ignore[attr-defined]
    for reset in (services_security.user_reset_password, services_security.two_factor_reset):
        with pytest.raises(PermissionDenied, match="安全管理员"):
            reset(by=admin, user=county.auditor, reason="忘记密码")  # type: ignore[attr-defined]
    assert services_security.user_reset_password(by=admin, user=county.staff_a, reason="忘记密码")  # type: ignore[attr-defined]
    assert (
        services_security.lockout_lift(by=security, kind="username", username="nobody", ip_address=None) == 0
    )
