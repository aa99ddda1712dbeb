"""The people pickers read one org selector (views, sheets, API): a task force is made of working
staff of the county (never enterprise, inspector or administrator accounts), and a 包抓领导 is a
leader of the user's own county, never of the neighbouring county of the same province."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from zhaoshang.core import imports
from zhaoshang.core.roles import Role
from zhaoshang.org import references, selectors
from zhaoshang.org.principal import principal_for
from zhaoshang.org.tests.factories import MembershipFactory, UnitFactory, UnitKindFactory, UserFactory
from zhaoshang.projects.tests.helpers import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(county: Any) -> dict[str, Any]:
    """测试县 and 邻县 under one province, each with its leader and staff."""
    from zhaoshang.core.permissions import SYSTEM
    from zhaoshang.org import services

    top = UnitFactory(name="测试省", kind=UnitKindFactory(code="province"))
    services.unit_move(by=SYSTEM, unit=county.county, parent=top)
    neighbour = UnitFactory(name="邻县", kind=UnitKindFactory(code="county"), parent=top)
    town = UnitFactory(name="邻县城关镇", kind=UnitKindFactory(code="town"), parent=neighbour)

    def person(username: str, unit: Any, role: Role) -> Any:
        user = UserFactory(username=username, display_name=username)
        MembershipFactory(user=user, unit=unit, role=role)
        return user

    return {
        "province_coordinator": person("province_coordinator", top, Role.COORDINATOR),
        "leader": person("neighbour_leader", neighbour, Role.LEADER),
        "coordinator": person("neighbour_coordinator", neighbour, Role.COORDINATOR),
        "staff": person("neighbour_staff", town, Role.UNIT_STAFF),
    }


def _names(users: Any) -> set[str]:
    return {u.username for u in users}


def test_leader_pickers_list_the_users_own_county_only(county: Any, province: dict[str, Any]) -> None:
    for user in (county.coordinator, county.staff_a):
        assert _names(references.nameable_leaders(principal_for(user))) == {"leader"}
    assert _names(references.nameable_leaders(principal_for(province["coordinator"]))) == {"neighbour_leader"}
    # A reader who sees both (an inspector exporting) gets both, for the export to read back.
    assert _names(selectors.jurisdiction_leaders(principal_for(county.inspector))) == {
        "leader",
        "neighbour_leader",
    }


def test_task_force_pickers_offer_working_staff_of_the_county(county: Any, province: dict[str, Any]) -> None:
    offered = _names(references.nameable_people(principal_for(county.coordinator)))
    assert offered == {"leader", "coordinator", "staff_a", "staff_b"}
    assert not offered & {"enterprise", "inspector", "admin", "security", "auditor", "neighbour_staff"}
    assert _names(references.nameable_people(principal_for(county.staff_a))) == {"staff_a"}


def test_the_project_form_offers_no_one_from_elsewhere(
    client: Any, county: Any, province: dict[str, Any]
) -> None:
    project = make_project(county, county.coordinator)
    client.force_login(county.coordinator)
    for url in ("/projects/new/", f"/projects/{project.pk}/edit/"):
        form = client.get(url).context["form"]
        assert _names(form.fields["responsible_leader"].queryset) == {"leader"}
        people = _names(form.fields["task_force"].queryset)
        assert "staff_a" in people and not people & {"enterprise", "inspector", "admin", "neighbour_staff"}


def test_a_province_coordinator_editing_a_project_is_offered_its_countys_staff(
    client: Any, county: Any, province: dict[str, Any]
) -> None:
    project = make_project(county, county.coordinator)
    everyone = _names(references.nameable_people(principal_for(province["province_coordinator"])))
    assert {"staff_a", "neighbour_staff"} <= everyone
    client.force_login(province["province_coordinator"])
    people = _names(client.get(f"/projects/{project.pk}/edit/").context["form"].fields["task_force"].queryset)
    assert "staff_a" in people and "neighbour_staff" not in people


def test_the_import_template_lists_the_countys_leaders_only(county: Any, province: dict[str, Any]) -> None:
    sheet = imports.importer_for("projects").sheet_for(principal_for(county.coordinator))
    column = next(c for c in sheet.columns if c.key == "responsible_leader")
    assert [label for _pk, label in column.choices] == ["leader"]
    book = load_workbook(io.BytesIO(imports.template("projects", principal_for(county.coordinator))))
    text = " ".join(
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    )
    assert "neighbour_leader" not in text


def test_the_api_finds_no_leader_of_another_county(
    client: Any, county: Any, province: dict[str, Any]
) -> None:
    client.force_login(county.coordinator)
    body = {
        "name": "跨县项目",
        "investor_name": "某公司",
        "channel": "investor_referral",
        "town_id": county.town_a.pk,
        "lead_unit_id": county.bureau.pk,
        "responsible_leader_id": province["leader"].pk,
        "planned_investment": "1000",
    }
    answer = client.post("/api/projects/", body, content_type="application/json")
    assert answer.status_code == 422
    assert answer.json()["errors"]["responsible_leader_id"] == ["包抓领导：只能选择您所在区域的县级领导"]


def test_the_service_refuses_a_task_force_member_from_another_county(
    county: Any, province: dict[str, Any]
) -> None:
    """The form offers only the county's staff; the service holds the same line for the API and imports."""
    from django.core.exceptions import ValidationError

    from zhaoshang.projects.models import Project
    from zhaoshang.projects.services import projects as project_services

    project = Project.objects.get(pk=make_project(county, county.coordinator).pk)  # its town as now stored
    by = principal_for(province["province_coordinator"])
    with pytest.raises(ValidationError) as refused:
        project_services.check_references(by, {"task_force": [province["staff"]]}, project)
    assert refused.value.message_dict == {"task_force": ["工作专班：只能选择您职责范围内单位的人员"]}
    project_services.check_references(by, {"task_force": [county.staff_a]}, project)
