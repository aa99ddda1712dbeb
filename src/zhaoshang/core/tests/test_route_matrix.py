"""Every route has a declared rule, and every role meets it: the role × route matrix.

The routes are every URL pattern of the resolver (pages: GET; write routes: POST with an empty body)
and every operation of the OpenAPI document (a minimal well-formed body for writes, so the request
reaches the permission check instead of stopping at the schema). Each is requested as each demo role
and as a visitor who has not logged in; the answer is classified as allowed, denied (403, 401 or the
log-in page) or not found (404), and compared with `route_rules.py`. A 500 or a 405 fails whatever
the table says. A route with a record in its path is asked for with the role's own record (or any,
when it sees none), and, when some record lies outside the role's scope, with that one too: an
allowed route must answer 404 for it (a denied one may answer 403 or 404).

Each request runs in a savepoint rolled back after it, so a write (a deactivated user, a logout)
does not change what the next request sees.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from zhaoshang.api.urls import api
from zhaoshang.core.models import ImportBatch, Job, Notification
from zhaoshang.core.tests import route_rules as rules
from zhaoshang.evaluation.models import EvaluationResult, Objection
from zhaoshang.org.models import Unit, User
from zhaoshang.org.principal import principal_for
from zhaoshang.projects.models import Milestone, Project

pytestmark = pytest.mark.django_db

OUTCOMES = {rules.OK, rules.DENIED, rules.NOT_FOUND}


def url_patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from url_patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def page_routes() -> dict[str, str]:
    """URL name → pattern, for every pattern but the API's operations (those are checked by operation)."""
    found = {}
    for route, pattern in url_patterns():
        module = getattr(pattern.callback, "__module__", "")
        if module.startswith("ninja.operation"):
            continue
        assert pattern.name, f"URL 模式 {route} 没有名称：给它一个 name=，再在 route_rules.py 里声明规则"
        found[pattern.name] = route
    return found


def api_operations() -> dict[str, tuple[str, str]]:
    """ "METHOD /api/path" → (method, path) for every operation of the OpenAPI document."""
    document = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}": (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }


def classify(response: Any) -> str:
    status = response.status_code
    if status in (401, 403) or (status == 302 and "/accounts/login/" in response.get("Location", "")):
        return rules.DENIED
    if status == 404:
        return rules.NOT_FOUND
    if status >= 500 or status == 405:
        return f"HTTP {status}"
    return rules.OK  # 2xx, a redirect elsewhere, or 400/409/422: allowed, the input refused


def expected(table: dict[str, dict[str, str]], name: str, role: str) -> str | None:
    rule = table[name]
    if role in rule:
        return rule[role]
    if role == rules.ANONYMOUS:
        return rules.DENIED
    return rule.get("*")


class Records:
    """For a user: their own record of each kind, and one outside their scope."""

    def __init__(self, user: User | None) -> None:
        self.user = user
        self.principal = principal_for(user)

    def _visible(self, model: type[models.Model]) -> Any:
        manager: Any = model._default_manager
        if self.user is None:
            return manager.none()
        if model in (Job, ImportBatch):  # one's own, or every one for those who see everything
            return manager.all() if self.principal.sees_everything else manager.filter(created_by=self.user)
        if model is Notification:
            return manager.filter(recipient=self.user)
        return manager.all().visible_to(self.principal)

    def pick(self, model: type[models.Model]) -> tuple[models.Model | None, models.Model | None]:
        """(a record the user sees, else any; a record outside their scope, or None)."""
        visible = self._visible(model)
        outside = model._default_manager.exclude(pk__in=visible.values("pk")).order_by("pk").first()
        own = visible.order_by("pk").first()
        return (own or outside), (outside if own is not None else None)


def _path_for(route: str, name: str, record: models.Model | None) -> str:
    kwargs: dict[str, object] = dict(rules.SLUGS.get(name, {}))
    if record is not None:
        kwargs |= rules.record_kwargs(name, record)
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
    return path


def _tables_of(name: str) -> list[tuple[dict[str, dict[str, str]], str]]:
    """The tables a URL name is checked against, with the method (an undeclared name: GET, to show it)."""
    if name in rules.FORMS:
        return [(rules.FORMS, "GET"), (rules.FORMS, "POST")]
    found = [(rules.PAGES, "GET")] if name in rules.PAGES or name not in rules.WRITES else []
    return found + ([(rules.WRITES, "POST")] if name in rules.WRITES else [])


def _request(client: Client, method: str, path: str, body: Any = None, form: bool = False) -> Any:
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if method == "GET":
            response = client.get(path)
        elif form:
            response = client.post(path, body or {})
        else:
            response = client.generic(method, path, rules.as_json(body), content_type="application/json")
        transaction.set_rollback(True)
    client.cookies = cookies  # a logout must not log the next request out
    return response


def _seed_missing(demo: Any) -> None:
    """Records the demo has none of, so their routes are tried on a real record: jobs, uploads, milestones, objections."""
    users = list(User.objects.all())
    Job.objects.bulk_create(
        [Job(kind="core.audit_verify", key=f"matrix-{u.pk}", created_by=u) for u in users]
    )
    ImportBatch.objects.bulk_create(
        [
            ImportBatch(kind="enterprises", filename="矩阵.xlsx", sha256="0" * 64, content=b"", created_by=u)
            for u in users
        ]
    )
    today = dt.date(2026, 1, 1)
    Milestone.objects.bulk_create(
        [Milestone(project=p, name="矩阵检查", due=today) for p in Project.objects.all()]
    )
    filer = demo.user("enterprise")
    Objection.objects.bulk_create(
        [Objection(result=r, text="矩阵检查", filed_by=filer) for r in EvaluationResult.objects.all()]
    )


class Walk:
    """The requests of one role: each route with the role's own record, then with one outside its scope."""

    def __init__(self, role: str, username: str | None, town: Unit) -> None:
        self.role, self.town = role, town
        user = User.objects.get(username=username) if username else None
        self.client = Client()
        if user is not None:
            self.client.force_login(user)
        self.records = Records(user)
        self.observed: dict[str, str] = {}
        self.beyond: dict[str, str] = {}
        self.problems: list[str] = []

    def page(self, table: dict[str, dict[str, str]], name: str, route: str, method: str) -> None:
        def send(record: models.Model | None) -> Any:
            body = rules.WRITE_BODIES.get(name, {}) if method == "POST" else None
            return _request(self.client, method, _path_for(route, name, record), body, form=True)

        self._check(table, name, f"{name} {method}", send, rules.RECORD_OF.get(name))

    def operation(self, name: str, method: str, path: str) -> None:
        model = next((m for p, m in rules.API_RECORDS.items() if "{" + p + "}" in path), None)

        def send(record: models.Model | None) -> Any:
            url = path.replace("{year}", "2024")
            for param in rules.API_RECORDS:
                if record is not None:
                    url = url.replace("{" + param + "}", str(record.pk))
            body = rules.API_BODIES.get(name, lambda town: {})(self.town) if method != "GET" else None
            return _request(self.client, method, url, body)

        self._check(rules.API, name, name, send, model)

    def _check(
        self,
        table: dict[str, dict[str, str]],
        name: str,
        cell: str,
        send: Callable[[models.Model | None], Any],
        model: type[models.Model] | None,
    ) -> None:
        own, outside = self.records.pick(model) if model is not None else (None, None)
        got = classify(send(own))
        self.observed[cell] = got
        want = expected(table, name, self.role) if name in table else None
        if want is not None and got != want:
            self.problems.append(f"{cell} 作为 {self.role}：应为 {want}，实际 {got}")
        if outside is not None and want in (rules.OK, rules.DENIED) and got == want:
            beyond = self.beyond[cell] = classify(send(outside))
            allowed_beyond = {rules.NOT_FOUND} if want == rules.OK else {rules.NOT_FOUND, rules.DENIED}
            if beyond not in allowed_beyond:
                self.problems.append(f"{cell} 作为 {self.role}：范围以外的记录应为 404，实际 {beyond}")


def undeclared_routes(pages: dict[str, str], operations: dict[str, Any]) -> list[str]:
    declared = set(rules.PAGES) | set(rules.FORMS) | set(rules.WRITES)
    return sorted(set(pages) - declared) + sorted(set(operations) - set(rules.API))


def test_a_route_without_a_rule_is_found() -> None:
    pages, operations = page_routes(), api_operations()
    assert undeclared_routes(pages, operations) == []
    pages["new-page"] = "new/"
    operations["DELETE /api/new"] = ("DELETE", "/api/new")
    assert undeclared_routes(pages, operations) == ["new-page", "DELETE /api/new"]


def test_every_route_has_a_rule_and_every_role_meets_it(demo_county: Any) -> None:
    _seed_missing(demo_county)
    pages, operations = page_routes(), api_operations()
    undeclared = undeclared_routes(pages, operations)
    declared = set(rules.PAGES) | set(rules.FORMS) | set(rules.WRITES)
    stale = sorted(declared - set(pages)) + sorted(set(rules.API) - set(operations))
    for table in (rules.PAGES, rules.FORMS, rules.WRITES, rules.API):
        for name, rule in table.items():
            assert table is rules.API or name not in rules.FORMS or table is rules.FORMS, f"{name} 声明了两次"
            assert set(rule) <= set(rules.USERS) | {"*"}, f"{name}: 未知角色 {set(rule) - set(rules.USERS)}"
            assert set(rule.values()) <= OUTCOMES, f"{name}: {rule}"
    town = Unit.objects.get(name=rules.TOWN)
    walks = []
    for role, username in rules.USERS.items():
        walk = Walk(role, username, town)
        for name, route in pages.items():
            for table, method in _tables_of(name):
                walk.page(table, name, route, method)
        for name, (method, path) in operations.items():
            walk.operation(name, method, path)
        walks.append(walk)
    hint = "\n".join(
        f"    {name!r}: {{{', '.join(f'{w.role!r}: {o}' for w in walks for c, o in w.observed.items() if c.startswith(name + ' ') or c == name)}}},"
        for name in undeclared
    )
    assert not undeclared, (
        "这些路由没有声明规则（每个角色：允许、拒绝或不存在），请在 core/tests/route_rules.py 里加上，"
        f"本次观察到的结果可作参考（先核对是否符合职责）：\n{hint}"
    )
    assert not stale, f"route_rules.py 里声明了已不存在的路由：{stale}"
    problems = [p for w in walks for p in w.problems]
    assert not problems, "\n".join(problems)
    # The matrix was walked, records outside each role's scope included.
    requests = len(pages) + len(operations) + sum(len(_tables_of(n)) - 1 for n in pages)
    assert all(len(w.observed) == requests for w in walks)
    assert sum(len(w.beyond) for w in walks) >= 80
