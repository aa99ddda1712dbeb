"""Schema-driven: every operation of the OpenAPI document is called, and answers only what it documents.

For each operation, as a town user: with valid-looking parameters, then with each typed parameter
(path, query or body field) malformed, then with a body that is no JSON object, then without
credentials. No answer is a 500; every status is one the operation documents; every 422 has the
``{"detail", "errors"}`` shape in Chinese and names the malformed field.

Every operation must document the shared refusals (`api.responses.responses`).
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhaoshang.chains import services as chain_services
from zhaoshang.chains.tests.helpers import node
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.enterprises.tests.factories import EnterpriseFactory, EnterpriseYearFactory
from zhaoshang.org import services
from zhaoshang.org.models import Leader
from zhaoshang.outreach import services as outreach_services
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.helpers import signed_project

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")
REFUSALS = {"401", "403", "404", "422"}
MALFORMED = "不是数字abc"


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _variants(document: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(document, schema)
    found = []
    for option in schema.get("anyOf", [schema]):
        option = _resolve(document, option)
        if option.get("type") != "null":
            found.append(option)
    return found


def _typed(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    """A value with a type a wrong text can break: numbers, booleans, dates (not free text)."""
    kinds = {(v.get("type"), v.get("format")) for v in _variants(document, schema)}
    return bool(kinds) and all(
        t in {"integer", "number", "boolean"} or f in {"date", "date-time"} for t, f in kinds
    )


def _example(document: dict[str, Any], schema: dict[str, Any], name: str, known: dict[str, Any]) -> Any:
    if name in known:
        return known[name]
    variants = _variants(document, schema)
    if not variants:
        return None
    first = variants[0]
    kind, fmt = first.get("type"), first.get("format")
    if "enum" in first:
        return first["enum"][0]
    if fmt == "date":
        return "2025-03-01"
    if fmt == "date-time":
        return "2025-03-01T08:00:00+08:00"
    if kind == "integer":
        return max(int(first.get("minimum", 1)), 1)
    if kind == "number" or any(v.get("type") == "number" for v in variants):
        return "12.5"
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object" or "properties" in first:
        return {key: _example(document, sub, key, known) for key, sub in first.get("properties", {}).items()}
    if kind == "string":
        return "测试"
    return None


class Call:
    def __init__(self, document: dict[str, Any], path: str, method: str, operation: dict[str, Any]) -> None:
        self.document, self.path, self.method, self.operation = document, path, method, operation
        self.params = operation.get("parameters", [])
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
        self.body_schema = _resolve(document, body["schema"]) if body else None

    @property
    def documented(self) -> set[str]:
        return set(self.operation["responses"])

    def url_and_body(self, known: dict[str, Any], override: dict[str, Any] | None = None) -> tuple[str, Any]:
        override = override or {}
        values = {p["name"]: _example(self.document, p["schema"], p["name"], known) for p in self.params}
        values |= {k: v for k, v in override.items() if k in values}
        url = self.path
        query = []
        for p in self.params:
            value = values[p["name"]]
            if p["in"] == "path":
                url = url.replace("{" + p["name"] + "}", str(value))
            elif p["in"] == "query" and value not in (None, ""):
                query.append(f"{p['name']}={value}")
        if query:
            url += "?" + "&".join(query)
        body = None
        if self.body_schema is not None:
            body = _example(self.document, self.body_schema, "", known) or {}
            body |= {k: v for k, v in override.items() if k in body}
        return url, body

    def typed_params(self) -> list[str]:
        return [p["name"] for p in self.params if _typed(self.document, p["schema"])]

    def typed_fields(self) -> list[str]:
        if self.body_schema is None:
            return []
        return [k for k, s in self.body_schema.get("properties", {}).items() if _typed(self.document, s)]


def _send(client: Client, method: str, url: str, body: Any, raw: str | None = None) -> Any:
    data = raw if raw is not None else (json.dumps(body) if body is not None else "")
    return client.generic(method.upper(), url, data, content_type="application/json")


def _check(call: Call, response: Any, what: str, field: str | None = None) -> None:
    where = f"{call.method.upper()} {call.path} ({what})"
    status = str(response.status_code)
    assert response.status_code != 500, where
    assert status in call.documented, f"{where}: {status} not among {sorted(call.documented)}"
    if response.status_code >= 400:
        answer = response.json()
        assert HAN.search(answer["detail"]), f"{where}: {answer}"
    if response.status_code == 422:
        assert set(answer) == {"detail", "errors"}, f"{where}: {answer}"
        assert answer["errors"] and all(
            isinstance(messages, list) and messages and all(HAN.search(m) for m in messages)
            for messages in answer["errors"].values()
        ), f"{where}: {answer}"
        if field is not None:
            assert field in answer["errors"], f"{where}: {answer}"


@pytest.fixture
def document(client: Client, county: Any) -> dict[str, Any]:
    client.force_login(county.staff_a)
    return client.get("/api/openapi.json").json()  # type: ignore[no-any-return]


def _calls(document: dict[str, Any]) -> list[Call]:
    return [
        Call(document, path, method, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_operation_answers_only_what_it_documents(document: dict[str, Any], county: Any) -> None:
    enterprise = EnterpriseFactory(town=county.town_a)
    EnterpriseYearFactory(enterprise=enterprise, year=2024)
    project = signed_project(county)  # in the town user's town, so funds may be recorded
    today = timezone.localdate().isoformat()
    # A chain the town runs (its lead unit), so the town user may move its target and file its report.
    Leader.objects.get_or_create(user=county.leader, defaults={"unit": county.county, "title": "副县长"})
    town_chain = chain_services.chain_create(
        SYSTEM,
        county.county,
        name="接口检查",
        chief=county.leader,
        lead_unit=county.town_a,
        output_target=None,
    )
    town_node = node(town_chain)
    target = chain_services.target_create(SYSTEM, town_chain, node=town_node, name="接口检查目标企业")
    # The outreach API: a chamber of the county, a trip, a visit, an event and a claim to read.
    chamber = outreach_services.contact_create(
        SYSTEM, kind="chamber", name="接口检查商会", keeper_unit=county.town_a, phone="0571-12345678"
    )
    trip = outreach_services.trip_create(
        SYSTEM,
        unit=county.town_a,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        region="yangtze",
        destination="杭州",
        purpose="接口检查",
        contacts=[chamber],
    )
    visit = outreach_services.visit_create(
        SYSTEM, unit=county.town_a, on=timezone.localdate(), company="接口检查企业", visitors="接口检查"
    )
    event = outreach_services.event_create(
        SYSTEM, unit=county.town_a, kind="expo", name="接口检查推介会", on=timezone.localdate(), place="县城"
    )
    claim = outreach_services.claim_file(
        SYSTEM,
        project,
        referrer=chamber,
        claimant_unit=county.town_a,
        evidence="接口检查",
        on=project.signed_on,
    )
    known = {
        "unit_id": county.town_a.pk,
        "user_id": county.staff_a.pk,
        "enterprise_id": enterprise.pk,
        "year": 2025,
        "reason": "接口检查",
        "phone": "0571-12345678",
        "q": "",
        "limit": 10,
        "offset": 0,
        # The projects API: a lead in the own town, a move out (signed → dropped), a fund with its proof.
        "project_id": project.pk,
        "town_id": county.town_a.pk,
        "lead_unit_id": county.town_a.pk,
        "park_id": None,
        "responsible_leader_id": county.leader.pk,
        "channel": "team",
        "investor_rank": "",
        "project_type": "",
        "industry_code": "",
        "target": "dropped",
        "drop_reason": "investor_withdrew",
        "on": today,
        "next_date": today,
        "source": "out_of_province",
        "use": "fixed_assets",
        "currency": "CNY",
        "kind": "bank_record",
        "scale_override": "",  # blank: 规上 judged by the year's revenue
        "content_base64": base64.b64encode(b"%PDF-1.7").decode(),
        # The chains API: the town's chain, a target moved on (not contacted → contacted), this month's report.
        "chain_id": town_chain.pk,
        "node_id": town_node.pk,
        "target_id": target.pk,
        "node": town_node.pk,
        "status": "contacted",
        "month": f"{timezone.localdate():%Y-%m}",
        # The outreach API: the town's records, a trip led by the county's leader.
        "contact_id": chamber.pk,
        "trip_id": trip.pk,
        "visit_id": visit.pk,
        "event_id": event.pk,
        "claim_id": claim.pk,
        "leader_id": county.leader.pk,
    }
    _token, raw = services.token_create(by=SYSTEM, user=county.staff_a, name="接口检查")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    checked = []
    for call in _calls(document):
        assert call.documented >= REFUSALS, f"{call.method.upper()} {call.path}: {sorted(call.documented)}"
        url, body = call.url_and_body(known)
        if isinstance(body, dict) and "version" in body:  # an update carries the version it read
            read = client.get(url)
            if read.status_code == 200 and "version" in read.json():
                body["version"] = read.json()["version"]
            else:
                body.pop("version")  # an entry that reads nothing first (a year's figures)
        valid = _send(client, call.method, url, body)
        _check(call, valid, "valid")
        # The town user's own records exist: valid-looking parameters succeed.
        assert valid.status_code < 300, f"{call.method.upper()} {url}: {valid.content!r}"
        for name in call.typed_params() + call.typed_fields():
            url, body = call.url_and_body(known, {name: MALFORMED})
            response = _send(client, call.method, url, body)
            assert response.status_code == 422, f"{call.method} {url} {name}: {response.content!r}"
            _check(call, response, f"malformed {name}", field=name)
        if call.body_schema is not None:
            url, _body = call.url_and_body(known)
            for raw_body in ("{", "[1]", '"x"', ""):
                response = _send(client, call.method, url, None, raw=raw_body)
                assert response.status_code == 422, f"{call.method} {url} {raw_body!r}"
                _check(call, response, f"body {raw_body!r}", field="__all__")
        url, body = call.url_and_body(known)
        anonymous = _send(Client(), call.method, url, body)
        assert anonymous.status_code == 401
        _check(call, anonymous, "anonymous")
        checked.append(f"{call.method.upper()} {call.path}")
    assert len(checked) >= 19
    # The valid calls of the projects API were made, not refused: each wrote its record.
    assert {c for c in checked if c.startswith("POST")} >= {
        f"POST /api/projects/{tail}"
        for tail in ("", "{project_id}/moves", "{project_id}/follow-ups", "{project_id}/funds")
    }
    project.refresh_from_db()
    assert project.stage == "dropped" and project.follow_ups.exists() and project.fund_arrivals.exists()
    assert Project.objects.filter(town=county.town_a).count() == 2


def test_the_document_describes_the_refusals_in_chinese(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert set(schemas["Refusal"]["properties"]) == {"detail", "errors"}
    assert set(schemas["Error"]["properties"]) == {"detail"}
    for call in _calls(document):
        for status, answer in call.operation["responses"].items():
            assert HAN.search(answer["description"]), (call.path, status, answer)
