"""The project endpoints: scoped like the pages, refusals in Chinese by field, money as Decimal strings."""

from __future__ import annotations

import base64
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.org import services as org_services
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import services
from zhaoshang.projects.api import refusals
from zhaoshang.projects.models import FollowUp, Project
from zhaoshang.projects.tests.helpers import COMMITTEE, signed_project
from zhaoshang.projects.tests.helpers import make_project as _project

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HAN = re.compile(r"[\u4e00-\u9fff]")


def _client(user: Any) -> Client:
    _token, raw = org_services.token_create(by=SYSTEM, user=user, name="接口测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_a_town_token_sees_its_own_projects_only(county: Any) -> None:
    mine = _project(county, county.coordinator, name="甲镇项目")
    other = _project(county, county.coordinator, town=county.town_b, name="乙镇项目")
    client = _client(county.staff_a)
    listed = client.get("/api/projects/").json()
    assert [p["id"] for p in listed["items"]] == [mine.pk] and listed["count"] == 1
    assert client.get(f"/api/projects/{other.pk}").status_code == 404
    for tail in ("moves", "follow-ups", "funds"):
        assert client.get(f"/api/projects/{other.pk}/{tail}").status_code == 404
        assert _post(client, f"/api/projects/{other.pk}/{tail}", {}).status_code in (404, 422)
    one = client.get(f"/api/projects/{mine.pk}").json()
    assert (one["planned_investment"], one["stage"], one["stage_label"]) == ("30000.0000", "lead", "线索")
    assert one["town"] == "甲镇" and one["responsible_leader"] == "leader"


def test_list_filters_by_stage_channel_town_and_text(county: Any) -> None:
    a = _project(county, county.coordinator, name="光伏组件项目")
    b = _project(county, county.coordinator, town=county.town_b, name="食品加工项目", channel="expo")
    services.project_move(principal_for(county.coordinator), b, "negotiating", on=TODAY)
    client = _client(county.coordinator)

    def ids(query: str) -> set[int]:
        return {p["id"] for p in client.get(f"/api/projects/?{query}").json()["items"]}

    assert ids("stage=negotiating") == {b.pk}
    assert ids("channel=investor_referral") == {a.pk}
    assert ids(f"town={county.town_a.pk}") == {a.pk}
    assert ids("q=食品") == {b.pk}
    assert ids("") == {a.pk, b.pk}


def test_create_registers_a_lead_in_the_own_town_and_refuses_in_chinese(county: Any) -> None:
    client = _client(county.staff_a)
    body = {
        "name": "智能装备项目",
        "investor_name": "苏州某装备有限公司",
        "channel": "team",
        "planned_investment": "12000.5",
        "land_needed_mu": 80,
        "town_id": county.town_a.pk,
        "lead_unit_id": county.town_a.pk,
        "responsible_leader_id": county.leader.pk,
    }
    response = _post(client, "/api/projects/", body)
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["stage"], made["planned_investment"], made["land_needed_mu"]) == (
        "lead",
        "12000.5000",
        "80.0000",
    )
    assert AuditEvent.objects.filter(target_type="projects.project", target_id=str(made["id"])).exists()

    refused = _post(client, "/api/projects/", body | {"channel": "golf", "town_id": 999999})
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert errors["town_id"] == ["乡镇：没有这个乡镇"]
    assert [m.startswith("招商方式：") for m in errors["channel"]] == [True]
    elsewhere = _post(client, "/api/projects/", body | {"town_id": county.town_b.pk})
    assert elsewhere.status_code == 422
    assert elsewhere.json()["errors"] == {"town_id": ["乡镇：该单位不在您的职责范围内"]}
    nul = _post(client, "/api/projects/", body | {"name": "坏\u0000名"})
    assert nul.status_code == 422 and list(nul.json()["errors"]) == ["name"]
    assert nul.json()["errors"]["name"][0].startswith("项目名称：")
    too_long = _post(client, "/api/projects/", body | {"planned_investment": "1.23456"})
    assert too_long.json()["errors"] == {"planned_investment": ["最多 4 位小数"]}
    inspector = _post(_client(county.inspector), "/api/projects/", body)
    assert inspector.status_code == 403
    assert Project.objects.count() == 1  # only the first was written


def test_a_refused_move_answers_the_state_machines_chinese_reasons(county: Any) -> None:
    coordinator = principal_for(county.coordinator)
    p = _project(county, county.coordinator)
    services.project_move(coordinator, p, "negotiating", on=TODAY)
    services.project_move(coordinator, p, "review", on=TODAY)
    client = _client(county.staff_a)
    refused = _post(
        client,
        f"/api/projects/{p.pk}/moves",
        {"target": "signed", "on": TODAY.isoformat(), "contract_amount": "0"},
    )
    assert refused.status_code == 422
    # What the body could have supplied is named by its field; the missing review by none.
    assert refused.json()["errors"] == {
        "__all__": ["须通过预审（通过或有条件通过）"],
        "contract_amount": ["签约须填写大于 0 的合同金额（万元）"],
        "evidence": ["签约须上传投资协议"],
    }
    bad_file = _post(
        client,
        f"/api/projects/{p.pk}/moves",
        {
            "target": "signed",
            "on": TODAY.isoformat(),
            "evidence": [{"kind": "agreement", "filename": "协议.pdf", "content_base64": "不是base64"}],
        },
    )
    assert bad_file.status_code == 422
    assert bad_file.json()["errors"] == {"evidence": ["附件：协议.pdf 的内容不是有效的 base64 编码"]}
    unknown = _post(client, f"/api/projects/{p.pk}/moves", {"target": "moon", "on": TODAY.isoformat()})
    assert unknown.status_code == 422 and unknown.json()["errors"] == {
        "target": ["阶段：请选择要变更到的阶段"]
    }
    assert Project.objects.get(pk=p.pk).stage == "review"
    assert p.moves.count() == 2 and not p.evidence.exists()

    services.review_record(coordinator, p, decision="pass", notes="同意", votes=COMMITTEE)
    moved = _post(
        client,
        f"/api/projects/{p.pk}/moves",
        {
            "target": "signed",
            "on": TODAY.isoformat(),
            "contract_amount": "28000",
            "opinion": "县长办公会同意",
            "evidence": [
                {"kind": "agreement", "filename": "投资协议.pdf", "content_base64": _b64(b"%PDF-1.7")}
            ],
        },
    )
    assert moved.status_code == 201, moved.content
    assert moved.json()["evidence"][0]["size"] == 8
    moves = client.get(f"/api/projects/{p.pk}/moves").json()
    assert [(m["source"], m["target"]) for m in moves] == [
        ("lead", "negotiating"),
        ("negotiating", "review"),
        ("review", "signed"),
    ]
    assert client.get(f"/api/projects/{p.pk}").json()["contract_amount"] == "28000.0000"


def test_follow_ups_are_listed_and_added_with_their_audit(county: Any) -> None:
    p = _project(county, county.coordinator)
    client = _client(county.staff_a)
    added = _post(
        client,
        f"/api/projects/{p.pk}/follow-ups",
        {
            "on": TODAY.isoformat(),
            "what": "电话沟通",
            "next_step": "寄送方案",
            "next_date": TODAY.isoformat(),
        },
    )
    assert added.status_code == 201 and added.json()["by"] == "staff_a"
    assert [f["what"] for f in client.get(f"/api/projects/{p.pk}/follow-ups").json()] == ["电话沟通"]
    refused = _post(client, f"/api/projects/{p.pk}/follow-ups", {"on": TODAY.isoformat(), "what": " "})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"what": ["跟进情况：必须填写。"]}
    assert FollowUp.objects.count() == 1 and audit.verify().ok


def test_a_fund_arrival_moves_the_projects_funds_in_place(county: Any) -> None:
    p = signed_project(county)
    client = _client(county.staff_a)
    url = f"/api/projects/{p.pk}/funds"
    body = {
        "on": TODAY.isoformat(),
        "amount": "1500.25",
        "source": "out_of_province",
        "use": "fixed_assets",
        "proof": {"kind": "bank_record", "filename": "进账单.pdf", "content_base64": _b64(b"%PDF")},
    }
    response = _post(client, url, body)
    assert response.status_code == 201, response.content
    assert (response.json()["amount"], response.json()["funds_in_place"]) == ("1500.2500", "1500.2500")
    _post(client, url, body | {"amount": "499.75"})
    assert client.get(f"/api/projects/{p.pk}").json()["funds_in_place"] == "2000.0000"
    assert [f["amount"] for f in client.get(url).json()] == ["1500.2500", "499.7500"]

    refused = _post(client, url, body | {"amount": "-1", "proof": None})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        "amount": ["到位金额：必须大于 0（万元）"],
        "proof": ["证明材料：须上传银行进账单或发票"],
    }
    wrong_kind = _post(client, url, body | {"proof": body["proof"] | {"kind": "agreement"}})
    assert wrong_kind.json()["errors"] == {"proof": ["证明材料：只能是银行进账单或发票"]}
    unknown_kind = _post(client, url, body | {"proof": body["proof"] | {"kind": "photo"}})
    assert list(unknown_kind.json()["errors"]) == ["proof"]
    assert unknown_kind.json()["errors"]["proof"][0].startswith("附件类型：")
    empty = _post(client, url, body | {"proof": body["proof"] | {"content_base64": ""}})
    assert empty.json()["errors"] == {"proof": ["附件：进账单.pdf 是空文件"]}
    assert Project.objects.get(pk=p.pk).funds_in_place == Decimal("2000")
    assert len(client.get(url).json()) == 2


def test_an_attachment_over_the_limit_is_refused_before_it_is_decoded(
    county: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(refusals, "MAX_EVIDENCE_BASE64", 8)
    p = signed_project(county)
    body = {
        "on": TODAY.isoformat(),
        "amount": "10",
        "source": "out_of_province",
        "use": "fixed_assets",
        "proof": {"kind": "invoice", "filename": "发票.pdf", "content_base64": _b64(b"0123456789")},
    }
    refused = _post(_client(county.staff_a), f"/api/projects/{p.pk}/funds", body)
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"proof": ["附件：发票.pdf 超过 20 MB"]}
    assert not p.fund_arrivals.exists()


def test_the_list_runs_a_bounded_number_of_queries(county: Any) -> None:
    client = _client(county.coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/projects/").status_code == 200
        return len(queries)

    _project(county, county.coordinator)
    count()  # the first use of a token records when it was used
    small = count()
    for n in range(20):
        _project(county, county.coordinator, town=county.town_b, name=f"项目{n}")
    assert count() == small <= 8


def test_a_services_field_is_renamed_to_the_apis_and_a_known_reason_is_named() -> None:
    with pytest.raises(ValidationError) as caught, refusals.named_as({"town": "town_id"}):
        raise ValidationError({"town": "乡镇：不在范围内", "name": "项目名称：必须填写"})
    assert caught.value.message_dict == {"town_id": ["乡镇：不在范围内"], "name": ["项目名称：必须填写"]}
    with pytest.raises(ValidationError) as caught, refusals.named_as({}, {"签约须上传投资协议": "evidence"}):
        raise ValidationError(["签约须上传投资协议", "须通过预审"])
    assert caught.value.message_dict == {"evidence": ["签约须上传投资协议"], "__all__": ["须通过预审"]}


def test_a_project_in_a_standard_building_is_said_so_through_the_api(county: Any) -> None:
    client = _client(county.coordinator)
    body = {
        "name": "电子元件组装项目",
        "investor_name": "某电子公司",
        "channel": "team",
        "town_id": county.town_a.pk,
        "lead_unit_id": county.town_a.pk,
        "in_standard_building": True,
    }
    made = _post(client, "/api/projects/", body).json()
    assert made["in_standard_building"] is True
    url = f"/api/projects/{made['id']}"
    kept = client.patch(
        url, json.dumps({"version": made["version"], "in_standard_building": None}), "application/json"
    )
    assert kept.status_code == 200 and kept.json()["in_standard_building"] is True
    off = client.patch(
        url,
        json.dumps({"version": kept.json()["version"], "in_standard_building": False}),
        "application/json",
    )
    assert off.status_code == 200, off.json()
    assert off.json()["in_standard_building"] is False
