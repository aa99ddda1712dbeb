"""Who may reach which route: the rule of every page, write and API operation, role by role.

`test_route_matrix.py` requests each route as each role of the demo county and compares the answer
with these tables. A new route (URL pattern or API operation) fails the suite until it is declared
here; a new role needs its line in `USERS` (a demo user holding it) and, where a route's `"*"` does
not already say what it gets, its key on that route.

Outcomes: OK (answered: a page, a redirect elsewhere, or the input refused with 400/422), DENIED
(403, 401, or sent to the log-in page), NOT_FOUND (404: the route exists, the record is out of
scope). For a route with a record in its path the outcome is for the role's own record; a record
outside the role's scope must answer 404 on an allowed route (the test checks it by itself).

Each rule is a dict: role → outcome, `"*"` for every logged-in role not named. A visitor who has
not logged in (`anonymous`) is DENIED unless the rule names it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from zhaoshang.core.tests.route_records import API_RECORDS, NESTED, RECORD_OF, SLUGS, record_kwargs
from zhaoshang.org.models import Unit

# The records each route is tried on live in `route_records`; the test reads them from here.
__all__ = ["API_RECORDS", "NESTED", "RECORD_OF", "SLUGS", "record_kwargs"]

OK, DENIED, NOT_FOUND = "ok", "denied", "not_found"
ANONYMOUS = "anonymous"

# Role → the demo county's user who holds it (None: not logged in).
USERS: dict[str, str | None] = {
    ANONYMOUS: None,
    "leader": "leader",
    "coordinator": "coordinator",
    "unit_staff": "town",
    "enterprise": "enterprise",
    "inspector": "inspector",
    "admin": "admin",
    "security_admin": "security",
    "auditor": "auditor",
}

# The town whose units a write to the API names (the unit_staff user's town).
TOWN = "城关镇"


TODAY = dt.date(2026, 1, 5).isoformat()
# API write → a well-formed body (given the town), so the answer comes from the permission check.
API_BODIES: dict[str, Callable[[Unit], dict[str, Any]]] = {
    "PATCH /api/org/units/{unit_id}": lambda town: {"version": 1},
    "PATCH /api/projects/{project_id}": lambda town: {"version": 1},
    "PUT /api/enterprises/{enterprise_id}/years/{year}": lambda town: {},
    "POST /api/projects/": lambda town: {
        "name": "矩阵检查项目",
        "investor_name": "矩阵检查投资方",
        "channel": "team",
        "town_id": town.pk,
        "lead_unit_id": town.pk,
    },
    "POST /api/projects/{project_id}/moves": lambda town: {"target": "dropped", "on": TODAY},
    "POST /api/projects/{project_id}/follow-ups": lambda town: {"on": TODAY, "what": "矩阵检查"},
    "POST /api/projects/{project_id}/funds": lambda town: {
        "on": TODAY,
        "amount": "1",
        "source": "out_of_province",
        "use": "fixed_assets",
    },
    "POST /api/chains/targets/{target_id}/moves": lambda town: {"status": "contacted", "on": TODAY},
    "POST /api/outreach/trips": lambda town: {
        "unit_id": town.pk,
        "starts_on": TODAY,
        "ends_on": TODAY,
        "region": "yangtze",
        "destination": "矩阵检查",
        "purpose": "矩阵检查",
    },
    "POST /api/outreach/visits": lambda town: {
        "unit_id": town.pk,
        "on": TODAY,
        "company": "矩阵检查企业",
        "visitors": "矩阵检查",
    },
    # {month} stays as written in the path: the endpoint checks who may write before it reads the month.
    "PUT /api/chains/{chain_id}/reports/{month}": lambda town: dict.fromkeys(
        ("achievements", "shortfalls", "causes", "plan"), "矩阵检查"
    ),
}


def as_json(body: Any) -> str:
    return json.dumps(body)


# Roles that change business records in their scope (Action.EDIT_BUSINESS).
EDITORS = {"coordinator": OK, "unit_staff": OK, "*": DENIED}
# The county's rule-maker only (Action.CONFIGURE_RULES).
RULE_MAKER = {"coordinator": OK, "*": DENIED}
# The administrator only (Action.MANAGE_ORG).
ADMIN_ONLY = {"admin": OK, "*": DENIED}
# The security administrator only (Action.MANAGE_ROLES): who holds which role.
ROLE_KEEPER = {"security_admin": OK, "*": DENIED}
# The audit log and its chain (Action.VIEW_AUDIT): the auditor and the inspectors, not the administrator.
AUDIT_READERS = {"inspector": OK, "auditor": OK, "*": DENIED}
# Log-in locks: the administrator who answers the locked-out user, the security administrator who watches.
LOCK_KEEPERS = {"admin": OK, "security_admin": OK, "*": DENIED}
# Every logged-in role.
EVERYONE = {"*": OK}
# The organisation: every role but an enterprise's (Action.VIEW_ORG).
ORG_READERS = {"enterprise": DENIED, "*": OK}
# The project pipeline: an enterprise sees no project, so any project it names is not found.
PIPELINE = {"enterprise": NOT_FOUND, "*": OK}

# The chains (Action.VIEW_PIPELINE): not an enterprise's, nor the security administrator's or auditor's.
CHAIN_READERS = {"enterprise": DENIED, "security_admin": DENIED, "auditor": DENIED, "*": OK}
# A chain's writes (pages and API): its runners only, the county's coordinators and its lead unit's
# staff (the demo's town staff lead no chain, so they are refused by the service).
CHAIN_RUNNERS = {"coordinator": OK, "*": DENIED}

# --- Pages: GET ------------------------------------------------------------------------------------
PAGES: dict[str, dict[str, str]] = {
    "healthz": {ANONYMOUS: OK, "*": OK},
    "home": EVERYONE,
    "api-root": {ANONYMOUS: NOT_FOUND, "*": NOT_FOUND},  # /api/ itself is no page
    "openapi-json": EVERYONE,
    "openapi-view": EVERYONE,
    "industry-options": EVERYONE,
    "inbox": EVERYONE,
    "notification-open": EVERYONE,  # one's own notification; another's is not found
    "job-detail": EVERYONE,  # one's own job
    "job-progress": EVERYONE,
    "audit-log": AUDIT_READERS,
    "lockout-list": LOCK_KEEPERS,
    # org
    "unit-list": ORG_READERS,
    "unit-detail": ORG_READERS,
    "user-list": ORG_READERS,
    "user-detail": ORG_READERS,
    # enterprises and their imports
    "enterprise-list": EVERYONE,  # an enterprise sees itself
    "enterprise-detail": EVERYONE,
    "import-detail": EVERYONE,  # one's own upload
    "import-template": EDITORS,
    # evaluation
    "evaluation-home": EVERYONE,
    "scheme-detail": RULE_MAKER,
    "run-detail": EVERYONE,
    "result-detail": EVERYONE,
    # chains
    "chain-list": CHAIN_READERS,
    "chain-inspection": CHAIN_READERS,
    "chain-detail": CHAIN_READERS,
    "chain-list-of": CHAIN_READERS,
    "chain-node": CHAIN_READERS,
    "chain-target": CHAIN_READERS,
    "chain-meetings": CHAIN_READERS,
    "chain-plan": CHAIN_READERS,
    "chain-problem": CHAIN_READERS,
    # outreach (招商活动与渠道): read like the chains
    "outreach-home": CHAIN_READERS,
    # the contacts side: contacts, commission agreements, the links speech 000 prescribes
    "outreach-contacts": CHAIN_READERS,
    "outreach-contact": CHAIN_READERS,
    "outreach-agreements": CHAIN_READERS,
    "outreach-agreement": CHAIN_READERS,
    "outreach-links": CHAIN_READERS,
    # the activities: trips, visits, events, the month calendar and the region view
    "outreach-trips": CHAIN_READERS,
    "outreach-trip": CHAIN_READERS,
    "outreach-visits": CHAIN_READERS,
    "outreach-visit": CHAIN_READERS,
    "outreach-events": CHAIN_READERS,
    "outreach-event": CHAIN_READERS,
    "outreach-calendar": CHAIN_READERS,
    "outreach-regions": CHAIN_READERS,
    "outreach-project": CHAIN_READERS,
    "outreach-claims": CHAIN_READERS,
    "outreach-claim": CHAIN_READERS,
    "outreach-register": CHAIN_READERS,
    "outreach-unmatched": CHAIN_READERS,
    "outreach-cadence": CHAIN_READERS,
    "outreach-time": CHAIN_READERS,  # its form is for the heads who write their unit's records
    # promotion library
    "promotion-list": EVERYONE,
    "promotion-detail": PIPELINE,
    "promotion-file": PIPELINE,
    # projects
    "project-list": EVERYONE,
    "project-alerts": EVERYONE,
    "project-figures": EVERYONE,
    "project-sheet-export": EVERYONE,  # what the role sees of the list
    "project-detail": PIPELINE,
    "project-rules": PIPELINE,  # read by all who see projects, changed by the rule-maker (WRITES)
    "project-major-tier": PIPELINE,  # the same: read by all who see projects, set by the rule-maker
    "project-meetings": EVERYONE,  # the meetings one's scope sees (an enterprise: none); called by the rule-maker
    "project-meeting": PIPELINE,
    "project-meeting-minutes": PIPELINE,
}

# --- Forms: GET shows them, POST with an empty body is refused as invalid or as denied (same rule) ---
FORMS: dict[str, dict[str, str]] = {
    "outreach-norms": RULE_MAKER,
    "login": {ANONYMOUS: OK, "*": OK},  # a logged-in user is sent home
    "account": EVERYONE,
    "notification-preferences": EVERYONE,  # one's own settings
    "password-change": EVERYONE,
    "two-factor": EVERYONE,
    "two-factor-verify": EVERYONE,  # without a code due it sends the user on
    "unit-create": ADMIN_ONLY,
    "unit-edit": {"coordinator": OK, "unit_staff": OK, "admin": OK, "*": DENIED},
    "user-create": ADMIN_ONLY,
    "enterprise-create": EDITORS,
    "enterprise-edit": EDITORS,
    "import-start": EDITORS,
    "promotion-create": EDITORS,
    "promotion-edit": EDITORS,
    # the month's report: everyone who reads chains sees it; the form is there for those who run the chain
    "chain-report": CHAIN_READERS,
    # setting chains up: a new chain and its settings are the coordinator's; nodes its runners'
    "chain-new": RULE_MAKER,
    "chain-edit": RULE_MAKER,
    "chain-node-add": CHAIN_RUNNERS,
    # outreach activities: recorded by those who write business records; a trip or visit is corrected
    # by its own unit's staff (and those above) and the county's coordinators
    "outreach-trip-new": EDITORS,
    # the demo's first trip is a team's, so the town's staff are refused it (a town's own trip: OK)
    "outreach-trip-edit": {"coordinator": OK, "*": DENIED},
    "outreach-visit-new": EDITORS,
    "outreach-visit-edit": EDITORS,
    "outreach-event-new": EDITORS,
    # contacts: registered by those who write business records, edited by the keeping unit (and those
    # above) and the county's coordinators; agreements are the coordinator's
    "outreach-contact-new": EDITORS,
    # (the demo's first contact is kept by another unit than the town's: the town reads it, not edits it)
    "outreach-contact-edit": {"coordinator": OK, "*": DENIED},
    "outreach-agreement-new": RULE_MAKER,
    "project-create": EDITORS,
    "project-update": EDITORS,
    "project-cohorts": PIPELINE,
    # a wrong fund arrival or follow-up put right with a reason (the service checks who recorded it)
    "project-fund-correct": EDITORS,
    "project-fund-withdraw": EDITORS,
    "follow-up-correct": EDITORS,
    "follow-up-withdraw": EDITORS,
    # a wrong year of figures withdrawn with a reason by those who edit the enterprise
    "enterprise-year-withdraw": EDITORS,
    "project-rules-tracking": {"coordinator": OK, "enterprise": DENIED, "*": DENIED},
    "project-rules-review": {"coordinator": OK, "enterprise": DENIED, "*": DENIED},
    "project-rules-cohorts": {"coordinator": OK, "enterprise": DENIED, "*": DENIED},
}

# --- Writes: POST (with an empty body); a page also in PAGES has its GET rule there ---------------
WRITES: dict[str, dict[str, str]] = {
    "logout": {"*": DENIED},  # logging out ends on the log-in page
    "inbox-mark-read": EVERYONE,
    "audit-verify": AUDIT_READERS,
    "membership-add": ROLE_KEEPER,
    "membership-remove": ROLE_KEEPER,
    "user-toggle-active": ADMIN_ONLY,
    "user-reset-password": ADMIN_ONLY,
    "user-reset-two-factor": ADMIN_ONLY,
    "lockout-lift": LOCK_KEEPERS,
    "enterprise-year-save": EDITORS,
    "enterprise-qualification-save": EDITORS,
    "enterprise-status": EDITORS,
    # Linking an enterprise account: the administrator, or the staff who work with the enterprise.
    "enterprise-accounts": {"admin": OK, "coordinator": OK, "unit_staff": OK, "*": DENIED},
    "account-enterprises": ADMIN_ONLY,
    "import-commit": EDITORS,
    "scheme-new": RULE_MAKER,
    "scheme-copy": RULE_MAKER,
    "scheme-form": RULE_MAKER,
    "run-start": RULE_MAKER,
    "run-publish": RULE_MAKER,
    "objection-file": {"coordinator": OK, "unit_staff": OK, "enterprise": OK, "*": DENIED},
    "fact-save": EDITORS,
    "objection-resolve": RULE_MAKER,
    "objection-reopen": RULE_MAKER,
    "promotion-move": EDITORS,
    "promotion-attach": EDITORS,
    # chain writes: the view asks for Action.EDIT_BUSINESS; the service lets only the chain's runners in
    "chain-list-add": EDITORS,
    "chain-node-status": EDITORS,
    "chain-node-place": EDITORS,
    "chain-target-move": EDITORS,
    "chain-target-convert": EDITORS,
    "chain-node-place-projects": EDITORS,
    # pages everyone who reads chains sees, whose form only the chain's runners (or the coordinator) post
    "chain-plan": CHAIN_RUNNERS,
    "chain-problem": CHAIN_RUNNERS,
    "chain-policy-withdraw": CHAIN_RUNNERS,
    "chain-meetings": RULE_MAKER,
    "chain-meeting-held": RULE_MAKER,
    # a lead from a trip or visit, a project added to an event: the form first, then the service
    # lets only the record's unit (and the coordinators) in
    "outreach-trip-lead": EDITORS,
    "outreach-visit-lead": EDITORS,
    "outreach-event-project": EDITORS,
    # a contact's encounter by those who write business records; an agreement's projects and an
    # office's link by the coordinator
    "outreach-contact-encounter": EDITORS,
    "outreach-agreement-projects": RULE_MAKER,
    "outreach-office-link": RULE_MAKER,
    # outreach: a project's origin and referrer claims by those who write business records; the claim
    # decided by the recognising unit (the service refuses the rest); matching by the coordinator
    "outreach-project-origin": EDITORS,
    "outreach-claim-new": EDITORS,
    "outreach-claim-decide": EDITORS,
    "outreach-match": RULE_MAKER,
    "outreach-time": EDITORS,
    "project-move": EDITORS,
    "project-board-move": EDITORS,
    "project-review": RULE_MAKER,
    "project-rules": {"coordinator": OK, "enterprise": NOT_FOUND, "*": DENIED},
    "follow-up-add": EDITORS,
    "project-fund-add": EDITORS,
    "project-milestone-add": EDITORS,
    "project-milestone-done": EDITORS,
    "project-pre-work": EDITORS,
    "project-major-tier": {"coordinator": OK, "enterprise": NOT_FOUND, "*": DENIED},
    "project-meetings": RULE_MAKER,
    "project-meeting-decide": RULE_MAKER,
}
# A write whose empty body would stop at the form before the permission check: a body that passes it.
WRITE_BODIES: dict[str, dict[str, str]] = {
    "objection-file": {"text": "矩阵检查：异议内容"},
}

# --- API operations (a well-formed body from API_BODIES for writes) ---------------------------------
API: dict[str, dict[str, str]] = {
    "GET /api/org/me": EVERYONE,
    "GET /api/org/units": ORG_READERS,
    "GET /api/org/units/{unit_id}": ORG_READERS,
    "PATCH /api/org/units/{unit_id}": {"coordinator": OK, "unit_staff": OK, "admin": OK, "*": DENIED},
    "GET /api/org/users": ORG_READERS,
    "GET /api/org/users/{user_id}": ORG_READERS,
    "GET /api/enterprises/": EVERYONE,
    "GET /api/enterprises/{enterprise_id}": EVERYONE,
    "GET /api/enterprises/{enterprise_id}/years": EVERYONE,
    "PUT /api/enterprises/{enterprise_id}/years/{year}": EDITORS,
    "GET /api/projects/": EVERYONE,
    "POST /api/projects/": EDITORS,
    "GET /api/projects/{project_id}": PIPELINE,
    "PATCH /api/projects/{project_id}": {**EDITORS, "enterprise": NOT_FOUND},
    "GET /api/projects/{project_id}/moves": PIPELINE,
    "POST /api/projects/{project_id}/moves": {**EDITORS, "enterprise": NOT_FOUND},
    "GET /api/projects/{project_id}/follow-ups": PIPELINE,
    "POST /api/projects/{project_id}/follow-ups": {**EDITORS, "enterprise": NOT_FOUND},
    "GET /api/projects/{project_id}/funds": PIPELINE,
    "POST /api/projects/{project_id}/funds": {**EDITORS, "enterprise": NOT_FOUND},
    "GET /api/chains/": CHAIN_READERS,
    "GET /api/chains/{chain_id}": CHAIN_READERS,
    "GET /api/chains/nodes/{node_id}": CHAIN_READERS,
    "GET /api/chains/{chain_id}/targets": CHAIN_READERS,
    "POST /api/chains/targets/{target_id}/moves": CHAIN_RUNNERS,
    "GET /api/chains/{chain_id}/reports": CHAIN_READERS,
    "PUT /api/chains/{chain_id}/reports/{month}": CHAIN_RUNNERS,
    # outreach (招商活动与渠道): read like the chains; a trip or a visit recorded by those who write
    # business records for the unit (the demo's town staff for their town)
    "GET /api/outreach/contacts": CHAIN_READERS,
    "GET /api/outreach/contacts/{contact_id}": CHAIN_READERS,
    "GET /api/outreach/trips": CHAIN_READERS,
    "GET /api/outreach/trips/{trip_id}": CHAIN_READERS,
    "POST /api/outreach/trips": EDITORS,
    "GET /api/outreach/visits": CHAIN_READERS,
    "GET /api/outreach/visits/{visit_id}": CHAIN_READERS,
    "POST /api/outreach/visits": EDITORS,
    "GET /api/outreach/events": CHAIN_READERS,
    "GET /api/outreach/events/{event_id}": CHAIN_READERS,
    "GET /api/outreach/claims": CHAIN_READERS,
    "GET /api/outreach/claims/{claim_id}": CHAIN_READERS,
}
