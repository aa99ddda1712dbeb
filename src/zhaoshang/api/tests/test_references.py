"""The API obeys the same rules as the forms: what a record may name is checked in the services.

A town user (staff of 甲镇) names, one at a time, each reference outside their scope — another town,
another town's park, another unit as lead or member unit, a leader of another county, a person of
another town, an enterprise they cannot see, another unit as planning unit — through every channel
the kind has: the form (new and edit), the API (create and update), the import (new and changed rows)
and the service itself. Each is refused, in Chinese naming the field, and nothing changes.
"""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from zhaoshang.core import imports
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.tests.factories import EnterpriseFactory
from zhaoshang.org import services as org_services
from zhaoshang.org.principal import principal_for
from zhaoshang.org.tests.factories import MembershipFactory, UnitFactory, UnitKindFactory, UserFactory
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Project
from zhaoshang.projects.tests.helpers import make_project
from zhaoshang.promotion import services as promotion_services
from zhaoshang.promotion.models import PromotionProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def outside(county: Any) -> dict[str, Any]:
    """For 甲镇's staff: a record of every kind they may not name."""
    park_b = UnitFactory(name="乙镇工业园", kind=UnitKindFactory(code="park"), parent=county.town_b)
    neighbour = UnitFactory(name="邻县", kind=UnitKindFactory(code="county"))
    stranger = UserFactory(username="neighbour_leader", display_name="邻县领导")
    MembershipFactory(user=stranger, unit=neighbour, role=Role.LEADER)
    return {
        "town": county.town_b,
        "park": park_b,
        "lead_unit": county.town_b,
        "responsible_leader": stranger,
        "member_units": [county.town_b],
        "task_force": [county.staff_b],
        "enterprise": EnterpriseFactory(town=county.town_b, name="乙镇企业有限公司"),
    }


def _session(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: Any) -> Client:
    _token, raw = org_services.token_create(by=SYSTEM, user=user, name="引用检查")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def _as_posted(form: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data


def _ids(value: Any) -> Any:
    return [str(v.pk) for v in value] if isinstance(value, list) else str(value.pk)


# ---------------------------------------------------------------- the service, for every channel


def test_the_project_service_refuses_every_reference_outside_scope(
    county: Any, outside: dict[str, Any]
) -> None:
    staff = principal_for(county.staff_a)
    base = {"name": "越界项目", "investor_name": "某公司", "channel": "team", "town": county.town_a}
    base["lead_unit"] = county.town_a
    project = make_project(county, county.staff_a)
    for field, value in outside.items():
        with pytest.raises(ValidationError) as created:
            project_services.project_create(staff, **(base | {field: value}))
        with pytest.raises(ValidationError) as updated:
            project_services.project_update(staff, Project.objects.get(pk=project.pk), **{field: value})
        for refused in (created, updated):
            assert list(refused.value.message_dict) == [field], field
            assert re.match(r"^[\u4e00-\u9fff]+：", refused.value.message_dict[field][0]), field
    assert Project.objects.count() == 1
    project.refresh_from_db()
    assert (project.town, project.park, project.lead_unit) == (county.town_a, None, county.town_a)
    assert not project.member_units.exists() and not project.task_force.exists()
    with pytest.raises(ValidationError, match="责任单位：该单位不在您的职责范围内"):  # a plan's milestone
        project_services.milestone_add(
            staff, project, name="完成供地", due=project.stage_since, owner_unit=county.town_b
        )
    # What the record already names, someone else gave it: an edit that leaves it is not refused.
    project_services.project_update(SYSTEM, project, lead_unit=county.bureau)
    project_services.project_update(staff, Project.objects.get(pk=project.pk), name="改名不改牵头单位")


# ---------------------------------------------------------------- projects: form, API, import


def test_the_project_form_refuses_every_reference_outside_scope(county: Any, outside: dict[str, Any]) -> None:
    client = _session(county.staff_a)
    project = make_project(county, county.staff_a)
    new = _as_posted(client.get("/projects/new/").context["form"])
    new |= {"name": "越界项目", "investor_name": "某公司", "channel": "team"}
    new |= {"town": str(county.town_a.pk), "lead_unit": str(county.town_a.pk)}
    edit_url = f"/projects/{project.pk}/edit/"
    edit = _as_posted(client.get(edit_url).context["form"])
    for field, value in outside.items():
        if field == "enterprise":
            continue  # the form does not name it; the service and the API check it
        for url, data in (("/projects/new/", new), (edit_url, edit)):
            refused = client.post(url, data | {field: _ids(value)})
            assert refused.status_code == 200 and field in refused.context["form"].errors, (field, url)
    assert Project.objects.count() == 1
    project.refresh_from_db()
    assert (project.town, project.lead_unit, project.responsible_leader) == (
        county.town_a,
        county.town_a,
        county.leader,
    )


API_FIELDS = {"town": "town_id", "park": "park_id", "lead_unit": "lead_unit_id"}
API_FIELDS["responsible_leader"] = "responsible_leader_id"


def test_the_api_refuses_every_reference_outside_scope_on_create_and_update(
    county: Any, outside: dict[str, Any]
) -> None:
    client = _api(county.staff_a)
    project = make_project(county, county.staff_a)
    body = {"name": "越界项目", "investor_name": "某公司", "channel": "team"}
    body |= {"town_id": county.town_a.pk, "lead_unit_id": county.town_a.pk}
    labels = {
        "town_id": "乡镇：",
        "park_id": "园区：",
        "lead_unit_id": "牵头单位：",
        "responsible_leader_id": "包抓领导：",
    }
    # The case first: another unit's park and lead unit at once, both named (201 before).
    both = _send(
        client,
        "post",
        "/api/projects/",
        body | {"park_id": outside["park"].pk, "lead_unit_id": county.town_b.pk},
    )
    assert both.status_code == 422 and set(both.json()["errors"]) == {"park_id", "lead_unit_id"}
    for field, name in API_FIELDS.items():
        value = outside[field].pk
        created = _send(client, "post", "/api/projects/", body | {name: value})
        version = client.get(f"/api/projects/{project.pk}").json()["version"]
        updated = _send(client, "patch", f"/api/projects/{project.pk}", {name: value, "version": version})
        for refused in (created, updated):
            assert refused.status_code == 422, (name, refused.content)
            errors = refused.json()["errors"]
            assert list(errors) == [name] and errors[name][0].startswith(labels[name]), errors
    assert Project.objects.count() == 1
    assert _session(county.staff_b).get("/api/projects/").json()["count"] == 0  # nothing reached 乙镇's list
    project.refresh_from_db()
    assert (project.town, project.park, project.lead_unit) == (county.town_a, None, county.town_a)


def _header(text: Any) -> str:
    return re.sub(r"（[^）]*）$", "", str(text).rstrip("*"))


def _fill(kind: str, rows: list[dict[str, Any]], by: Any) -> bytes:
    wb = load_workbook(io.BytesIO(imports.template(kind, by)))
    ws = wb.active
    headers = [_header(c.value) for c in ws[1]]
    for row in rows:
        ws.append([row.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _refused_cells(plan: imports.Plan) -> set[str]:
    return {e.column for e in [*plan.parsed.errors, *plan.errors]}


def test_the_project_import_refuses_every_reference_outside_scope(
    county: Any, outside: dict[str, Any]
) -> None:
    staff = principal_for(county.staff_a)
    project = make_project(county, county.staff_a)
    lead = {
        "项目名称": "越界项目",
        "投资方": "某公司",
        "招商方式": "小分队招商",
        "乡镇": "甲镇",
        "牵头单位": "甲镇",
    }
    changed = {"项目编号": project.pk, "项目名称": project.name, "投资方": project.investor_name}
    changed |= {"招商方式": "以商招商", "乡镇": "甲镇", "牵头单位": "甲镇"}
    cells = {"乡镇": "乙镇", "园区": "乙镇工业园", "牵头单位": "乙镇", "包抓领导": "邻县领导"}
    for header, name in cells.items():
        for row in (lead, changed):
            data = _fill("projects", [row | {header: name}], staff)
            plan = imports.commit("projects", data, "越界.xlsx", staff)
            assert header in _refused_cells(plan) and not plan.changes, (header, plan.errors)
    assert Project.objects.count() == 1
    project.refresh_from_db()
    assert (project.town, project.park, project.lead_unit) == (county.town_a, None, county.town_a)


# ---------------------------------------------------------------- enterprises: form, import


def test_enterprise_form_and_import_refuse_a_town_or_park_outside_scope(
    county: Any, outside: dict[str, Any]
) -> None:
    staff = principal_for(county.staff_a)
    client = _session(county.staff_a)
    firm = EnterpriseFactory(town=county.town_a, name="甲镇水泥有限公司")
    new = _as_posted(client.get("/enterprises/new/").context["form"])
    new |= {
        "uscc": "91330100MA2B3C4D5E",
        "name": "越界企业",
        "industry_code": "3011",
        "town": county.town_a.pk,
    }
    edit_url = f"/enterprises/{firm.pk}/edit/"
    edit = _as_posted(client.get(edit_url).context["form"])
    for field in ("town", "park"):
        for url, data in (("/enterprises/new/", new), (edit_url, edit)):
            refused = client.post(url, data | {field: outside[field].pk})
            assert refused.status_code == 200 and field in refused.context["form"].errors, (field, url)
    for field, label in (("town", "所在乡镇："), ("park", "所在园区：")):
        with pytest.raises(ValidationError) as refused:
            from zhaoshang.enterprises import services as enterprise_services

            enterprise_services.enterprise_update(by=staff, enterprise=firm, data={field: outside[field]})
        assert refused.value.message_dict[field][0].startswith(label)
    rows = [{"统一社会信用代码": firm.uscc, "企业名称": firm.name, "行业代码": "3011", "所在乡镇": "甲镇"}]
    for header, name in (("所在乡镇", "乙镇"), ("所在园区", "乙镇工业园")):
        for row in (rows[0], rows[0] | {"统一社会信用代码": "91330100MA2B3C4D5E"}):
            plan = imports.commit(
                "enterprises", _fill("enterprises", [row | {header: name}], staff), "越界.xlsx", staff
            )
            assert header in _refused_cells(plan) and not plan.changes, (header, plan.errors)
    firm.refresh_from_db()
    assert (firm.town, firm.park) == (county.town_a, None) and Enterprise.objects.count() == 2  # + outside's


# ---------------------------------------------------------------- proposals: form, service


def test_a_proposal_cannot_be_filed_under_another_unit(county: Any, outside: dict[str, Any]) -> None:
    staff = principal_for(county.staff_a)
    proposal = promotion_services.promotion_create(
        staff, name="甲镇储备项目", unit=county.town_a, estimated_investment=Decimal("100"), maturity="idea"
    )
    client = _session(county.staff_a)
    new = _as_posted(client.get("/projects/library/new/").context["form"]) | {"name": "越界储备项目"}
    edit_url = f"/projects/library/{proposal.pk}/edit/"
    edit = _as_posted(client.get(edit_url).context["form"])
    for url, data in (("/projects/library/new/", new), (edit_url, edit)):
        refused = client.post(url, data | {"unit": county.town_b.pk})
        assert refused.status_code == 200 and "unit" in refused.context["form"].errors, url
    for write in (
        lambda: promotion_services.promotion_create(staff, name="越界", unit=county.town_b, maturity="idea"),
        lambda: promotion_services.promotion_update(staff, proposal, {"unit": county.town_b}),
    ):
        with pytest.raises(ValidationError) as refused:
            write()
        assert refused.value.message_dict == {"unit": ["策划单位：该单位不在您的职责范围内"]}
    proposal.refresh_from_db()
    assert proposal.unit == county.town_a and PromotionProject.objects.count() == 1
