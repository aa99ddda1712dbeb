"""The record each route of the role × route matrix is tried on (see `route_rules.py`): the model a
page's `<pk>` names, the other arguments of nested paths, fixed slugs, and the records of API paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from zhaoshang.chains.models import Chain, ChainNode, ChainPolicy, ChainProblem, TargetCompany
from zhaoshang.chains.models import Meeting as ChainMeeting
from zhaoshang.core.models import ImportBatch, Job, Notification
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear
from zhaoshang.evaluation.models import Evaluation, EvaluationResult, Objection, Scheme
from zhaoshang.org.models import Membership, Unit, User
from zhaoshang.outreach.models import Agreement, Contact, Event, InvestorVisit, ReferrerClaim, Trip
from zhaoshang.projects.models import FollowUp, FundArrival, Meeting, Milestone, Project
from zhaoshang.promotion.models import PromotionFile, PromotionProject

# URL name → the record its path names (`pk` unless a function maps the record to the arguments).
RECORD_OF: dict[str, Any] = {
    "unit-detail": Unit,
    "unit-edit": Unit,
    "user-detail": User,
    "membership-add": User,
    "user-toggle-active": User,
    "user-reset-password": User,
    "user-reset-two-factor": User,
    "membership-remove": Membership,
    "import-detail": ImportBatch,
    "import-commit": ImportBatch,
    "enterprise-detail": Enterprise,
    "enterprise-edit": Enterprise,
    "enterprise-year-save": Enterprise,
    "enterprise-year-withdraw": EnterpriseYear,
    "enterprise-qualification-save": Enterprise,
    "enterprise-status": Enterprise,
    "enterprise-accounts": Enterprise,
    "account-enterprises": User,
    "scheme-detail": Scheme,
    "scheme-copy": Scheme,
    "scheme-form": Scheme,
    "run-start": Scheme,
    "run-detail": Evaluation,
    "run-publish": Evaluation,
    "result-detail": EvaluationResult,
    "objection-file": EvaluationResult,
    "fact-save": EvaluationResult,
    "objection-resolve": Objection,
    "objection-reopen": Objection,
    "chain-detail": Chain,
    "chain-list-of": Chain,
    "chain-list-add": Chain,
    "chain-report": Chain,
    "chain-node": ChainNode,
    "chain-node-status": ChainNode,
    "chain-node-place": ChainNode,
    "chain-target": TargetCompany,
    "chain-target-move": TargetCompany,
    "chain-target-convert": TargetCompany,
    "chain-edit": Chain,
    "chain-node-add": Chain,
    "chain-plan": Chain,
    "chain-node-place-projects": ChainNode,
    "chain-policy-withdraw": ChainPolicy,
    "chain-problem": ChainProblem,
    "chain-meeting-held": ChainMeeting,
    "outreach-project": Project,
    "outreach-project-origin": Project,
    "outreach-claim-new": Project,
    "outreach-claim": ReferrerClaim,
    "outreach-claim-decide": ReferrerClaim,
    "outreach-trip": Trip,
    "outreach-trip-edit": Trip,
    "outreach-trip-lead": Trip,
    "outreach-visit": InvestorVisit,
    "outreach-visit-edit": InvestorVisit,
    "outreach-visit-lead": InvestorVisit,
    "outreach-event": Event,
    "outreach-event-project": Event,
    "outreach-contact": Contact,
    "outreach-contact-edit": Contact,
    "outreach-contact-encounter": Contact,
    "outreach-agreement": Agreement,
    "outreach-agreement-projects": Agreement,
    "promotion-detail": PromotionProject,
    "promotion-edit": PromotionProject,
    "promotion-move": PromotionProject,
    "promotion-attach": PromotionProject,
    "promotion-file": PromotionFile,
    "project-detail": Project,
    "project-update": Project,
    "project-move": Project,
    "project-board-move": Project,
    "project-review": Project,
    "follow-up-add": Project,
    "project-fund-add": Project,
    "project-milestone-add": Project,
    "project-milestone-done": Milestone,
    "project-pre-work": Project,
    "project-meeting": Meeting,
    "project-meeting-minutes": Meeting,
    "project-meeting-decide": Meeting,
    "project-fund-correct": FundArrival,
    "project-fund-withdraw": FundArrival,
    "follow-up-correct": FollowUp,
    "follow-up-withdraw": FollowUp,
    "job-detail": Job,
    "job-progress": Job,
    "notification-open": Notification,
}
NESTED: dict[str, Callable[[Any], dict[str, Any]]] = {
    "chain-list-of": lambda c: {"pk": c.pk, "kind": "targets"},
    "chain-list-add": lambda c: {"pk": c.pk, "kind": "problems"},
    "chain-report": lambda c: {"pk": c.pk, "month": "2026-01"},
    "promotion-file": lambda f: {"pk": f.promotion_id, "file_pk": f.pk},
    "project-milestone-done": lambda m: {"pk": m.project_id, "milestone": m.pk},
    "project-pre-work": lambda p: {"pk": p.pk, "item": "site"},
    "project-meeting-decide": lambda m: {"pk": m.pk, "review": m.reviews.order_by("pk").first().pk},
    "project-fund-correct": lambda f: {"pk": f.project_id, "arrival": f.pk},
    "project-fund-withdraw": lambda f: {"pk": f.project_id, "arrival": f.pk},
    "follow-up-correct": lambda f: {"pk": f.project_id, "item": f.pk},
    "follow-up-withdraw": lambda f: {"pk": f.project_id, "item": f.pk},
    "enterprise-year-withdraw": lambda y: {"pk": y.enterprise_id, "row": y.pk},
}
# URL name → the fixed arguments of its path.
SLUGS: dict[str, dict[str, str]] = {
    "import-template": {"kind": "enterprises"},
    "project-sheet-export": {"kind": "projects"},
}


def record_kwargs(name: str, record: models.Model) -> dict[str, int]:
    return NESTED[name](record) if name in NESTED else {"pk": record.pk}


# API path parameter → the record it names ({year} is 2024).
API_RECORDS: dict[str, type[models.Model]] = {
    "unit_id": Unit,
    "user_id": User,
    "enterprise_id": Enterprise,
    "project_id": Project,
    "chain_id": Chain,
    "node_id": ChainNode,
    "target_id": TargetCompany,
    "contact_id": Contact,
    "trip_id": Trip,
    "visit_id": InvestorVisit,
    "event_id": Event,
    "claim_id": ReferrerClaim,
}
