"""Roles and what each may do. Pure: no Django models, so the rules can be read in one place."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    LEADER = "leader"
    COORDINATOR = "coordinator"
    UNIT_STAFF = "unit_staff"
    ENTERPRISE = "enterprise"
    INSPECTOR = "inspector"
    ADMIN = "admin"
    SECURITY_ADMIN = "security_admin"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.LEADER: "领导",
    Role.COORDINATOR: "统筹协调",
    Role.UNIT_STAFF: "单位工作人员",
    Role.ENTERPRISE: "企业",
    Role.INSPECTOR: "督查",
    Role.ADMIN: "系统管理员",
    Role.SECURITY_ADMIN: "安全管理员",
    Role.AUDITOR: "审计员",
}
ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]


class Action(StrEnum):
    """Things a page or endpoint may require. Record-level checks come on top (scoping)."""

    VIEW_ORG = "view_org"  # browse units and colleagues within one's scope
    EDIT_UNIT_PROFILE = "edit_unit_profile"  # contact details of a unit in scope
    MANAGE_ORG = "manage_org"  # create and move units, users, accounts, leaders (not their roles)
    MANAGE_ROLES = "manage_roles"  # grant and revoke roles (memberships), never one's own
    VIEW_SECURITY = "view_security"  # lockouts, refusals and probing alerts
    VIEW_AUDIT = "view_audit"  # the whole audit log, and verifying its chain
    VIEW_RECORD_HISTORY = "view_record_history"  # the history box on a record page
    VIEW_PIPELINE = "view_pipeline"  # the county's investment projects and proposal library (not enterprises)
    CONFIGURE_RULES = "configure_rules"  # rules, targets, policies of the county
    EDIT_BUSINESS = "edit_business"  # projects, enterprises, cases in scope
    OBJECT = "object"  # file an objection to an evaluation result (an enterprise, or staff for it)


_ALLOWED: dict[Role, frozenset[Action]] = {
    Role.LEADER: frozenset({Action.VIEW_ORG, Action.VIEW_RECORD_HISTORY, Action.VIEW_PIPELINE}),
    Role.COORDINATOR: frozenset(
        {
            Action.VIEW_ORG,
            Action.EDIT_UNIT_PROFILE,
            Action.VIEW_RECORD_HISTORY,
            Action.VIEW_PIPELINE,
            Action.CONFIGURE_RULES,
            Action.EDIT_BUSINESS,
            Action.OBJECT,
        }
    ),
    Role.UNIT_STAFF: frozenset(
        {
            Action.VIEW_ORG,
            Action.EDIT_UNIT_PROFILE,
            Action.VIEW_RECORD_HISTORY,
            Action.VIEW_PIPELINE,
            Action.EDIT_BUSINESS,
            Action.OBJECT,
        }
    ),
    Role.ENTERPRISE: frozenset({Action.OBJECT}),
    Role.INSPECTOR: frozenset(
        {Action.VIEW_ORG, Action.VIEW_AUDIT, Action.VIEW_RECORD_HISTORY, Action.VIEW_PIPELINE}
    ),
    # 三权分立: the system administrator runs the organisation but neither grants roles nor reads the
    # audit log; the security administrator grants roles and watches refusals; the auditor reads the log.
    Role.ADMIN: frozenset(
        {
            Action.VIEW_ORG,
            Action.EDIT_UNIT_PROFILE,
            Action.MANAGE_ORG,
            Action.VIEW_RECORD_HISTORY,
            Action.VIEW_PIPELINE,
        }
    ),
    Role.SECURITY_ADMIN: frozenset({Action.VIEW_ORG, Action.MANAGE_ROLES, Action.VIEW_SECURITY}),
    Role.AUDITOR: frozenset({Action.VIEW_ORG, Action.VIEW_AUDIT, Action.VIEW_RECORD_HISTORY}),
}

# Roles whose holders see every unit (reads); what they may change is still limited by their actions.
GLOBAL_ROLES = frozenset({Role.INSPECTOR, Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
# Accounts holding these roles are looked after by the security administrator alone: a system
# administrator may not reset, switch off or issue tokens for them (else it could act as them).
OVERSIGHT_ROLES = frozenset({Role.SECURITY_ADMIN, Role.AUDITOR})
# Roles that see their whole jurisdiction (the county a department belongs to), not just their unit.
JURISDICTION_ROLES = frozenset({Role.LEADER, Role.COORDINATOR})

# When a user holds several roles, the home page follows the first of these they hold.
HOME_ORDER = (
    Role.ADMIN,
    Role.SECURITY_ADMIN,
    Role.AUDITOR,
    Role.INSPECTOR,
    Role.LEADER,
    Role.COORDINATOR,
    Role.UNIT_STAFF,
    Role.ENTERPRISE,
)


def allowed(roles: frozenset[Role], action: Action) -> bool:
    return any(action in _ALLOWED[role] for role in roles)
