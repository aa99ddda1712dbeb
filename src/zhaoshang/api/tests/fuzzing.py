"""schemathesis against the OpenAPI document, as each role of the demo county.

For every operation, schemathesis generates requests from the document (path and query values, bodies)
and sends them to the Django WSGI application with the role's bearer token; path ids are drawn from
records the role sees and records it does not. Each answer must not be a 500, must carry a documented
status, content type and a body matching its schema; and what it shows must lie in the role's scope:
every item of a list is in the model's `visible_to(principal)`, and a record named in the path is
answered (2xx) only when the role sees it.

Used by `test_schemathesis.py` (a few examples per operation) and `hardening/hard_api.py` (many).
Each request runs in a savepoint rolled back after it, so the demo county stays as built.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, models, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from zhaoshang.api.urls import api
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.scoping import Principal
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear
from zhaoshang.org import services
from zhaoshang.org.models import Unit, User
from zhaoshang.org.principal import principal_for
from zhaoshang.projects.models import FollowUp, FundArrival, Project, StageMove

# The demo county's user for each role (None: no credentials).
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "leader": "leader",
    "coordinator": "coordinator",
    "unit_staff": "town",
    "enterprise": "enterprise",
    "inspector": "inspector",
    "admin": "admin",
}
# Path parameter → the model whose ids fill it.
PATH_RECORDS: dict[str, type[models.Model]] = {
    "unit_id": Unit,
    "user_id": User,
    "enterprise_id": Enterprise,
    "project_id": Project,
}
# List operation (GET path) → the model of its items.
LIST_RECORDS: dict[str, type[models.Model]] = {
    "/api/org/units": Unit,
    "/api/org/users": User,
    "/api/enterprises/": Enterprise,
    "/api/enterprises/{enterprise_id}/years": EnterpriseYear,
    "/api/projects/": Project,
    "/api/projects/{project_id}/moves": StageMove,
    "/api/projects/{project_id}/follow-ups": FollowUp,
    "/api/projects/{project_id}/funds": FundArrival,
}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class Figures:
    operations: int = 0
    requests: int = 0
    server_errors: int = 0
    schema_violations: int = 0
    scope_leaks: int = 0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "operations": self.operations,
            "requests": self.requests,
            "server_errors": self.server_errors,
            "schema_violations": self.schema_violations,
            "scope_leaks": self.scope_leaks,
        }


@contextlib.contextmanager
def in_process() -> Iterator[WSGIHandler]:
    """Django's WSGI application on this thread's connection (as the test client does: no closing it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _visible(model: type[models.Model], principal: Principal) -> Any:
    return model._default_manager.all().visible_to(principal)  # type: ignore[attr-defined]


class Role:
    def __init__(self, role: str, username: str | None) -> None:
        self.role = role
        self.user = User.objects.get(username=username) if username else None
        self.principal = principal_for(self.user)
        self.headers: dict[str, str] = {}
        if self.user is not None:
            _token, raw = services.token_create(by=SYSTEM, user=self.user, name="接口模糊测试")
            self.headers = {"Authorization": f"Bearer {raw}"}
        self.ids: dict[str, list[int]] = {}
        for param, model in PATH_RECORDS.items():
            every = model._default_manager.order_by("pk")
            seen = _visible(model, self.principal).order_by("pk") if self.user else every.none()
            own = list(seen.values_list("pk", flat=True)[:3])
            other = list(every.exclude(pk__in=seen.values("pk")).values_list("pk", flat=True)[:3])
            self.ids[param] = own + other + [0, 2**31]

    def sees(self, model: type[models.Model], pk: Any) -> bool:
        return self.user is not None and _visible(model, self.principal).filter(pk=pk).exists()


def _leaks(role: Role, case: Any, status: int, body: Any) -> list[str]:
    found = []
    if status < 300:
        for param, value in (case.path_parameters or {}).items():
            model = PATH_RECORDS.get(param)
            if model is not None and not role.sees(model, value):
                found.append(f"{param}={value} 不在范围内却答 {status}")
        model = LIST_RECORDS.get(case.path) if case.method.upper() == "GET" else None
        items = body.get("items") if isinstance(body, dict) else body
        if model is not None and isinstance(items, list):
            ids = {item["id"] for item in items if isinstance(item, dict) and "id" in item}
            if ids:
                seen = set(_visible(model, role.principal).filter(pk__in=ids).values_list("pk", flat=True))
                found += [f"列表含范围以外的 {model.__name__} {pk}" for pk in sorted(ids - seen)]
    return found


def _one(figures: Figures, role: Role, app: WSGIHandler, case: Any, where: str) -> None:
    figures.requests += 1
    with transaction.atomic():
        try:
            response = case.call(app=app, headers=role.headers)
        finally:
            transaction.set_rollback(True)
    try:
        case.validate_response(response, checks=CHECKS, headers=role.headers)
    except FailureGroup as group:
        names = {type(f).__name__ for f in group.exceptions}
        if response.status_code >= 500:
            figures.server_errors += 1
        else:
            figures.schema_violations += 1
        figures.problems.append(f"{where}: {response.status_code} {sorted(names)} {response.content[:300]!r}")
        return
    try:
        body = json.loads(response.content) if response.content else None
    except ValueError:
        body = None
    leaks = _leaks(role, case, response.status_code, body)
    if leaks:
        figures.scope_leaks += len(leaks)
        figures.problems.append(f"{where}: {leaks}")


def _fuzz(figures: Figures, role: Role, app: WSGIHandler, op: Any, examples: int) -> None:
    where = f"{op.method.upper()} {op.path} 作为 {role.role}"
    picks = st.fixed_dictionaries(
        {p: st.sampled_from(role.ids[p]) for p in PATH_RECORDS if "{" + p + "}" in op.path}
    )

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=op.as_strategy(), ids=picks)
    def fuzz(case: Any, ids: dict[str, int]) -> None:
        if case.path_parameters is not None:
            case.path_parameters.update(ids)
        _one(figures, role, app, case, where)

    fuzz()


def run(examples: int) -> Figures:
    """Every operation as every role, `examples` generated requests each."""
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    figures = Figures()
    roles = [Role(role, username) for role, username in ROLES.items()]
    with in_process() as app:
        for operation in schema.get_all_operations():
            op = operation.ok()
            figures.operations += 1
            for role in roles:
                _fuzz(figures, role, app, op, examples)
    return figures
