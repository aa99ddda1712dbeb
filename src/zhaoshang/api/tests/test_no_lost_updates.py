"""No lost updates: two people open the same record, both save; the second is refused, nothing is lost.

For every editable kind (enterprise, unit, proposal, project) two coordinators open the edit form in two
sessions. The first saves a change; the second, saving another field over the version it read, gets
"已被 X 于 T 修改，请刷新后再改" with what changed, keeps what they typed, and the first's change stays.
The same through the API's updates (units, projects): the second answers 409 in Chinese.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.utils import timezone

from zhaoshang.core import audit, versioning
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.enterprises.tests.factories import EnterpriseFactory
from zhaoshang.org import services as org_services
from zhaoshang.org.principal import principal_for
from zhaoshang.org.tests.factories import MembershipFactory, UserFactory
from zhaoshang.projects.tests.helpers import make_project
from zhaoshang.promotion import services as promotion_services

pytestmark = pytest.mark.django_db


def _proposal(county: Any) -> models.Model:
    return promotion_services.promotion_create(
        principal_for(county.coordinator),
        name="不锈钢精密带材项目",
        unit=county.town_a,
        industry_code="3130",
        estimated_investment=Decimal("120000"),
        land_mu=Decimal("150"),
        maturity="proposal",
    )


# kind → (make the record, its edit page, the field the first changes, the field the second changes)
KINDS: dict[str, tuple[Callable[[Any], models.Model], str, tuple[str, str], tuple[str, str]]] = {
    "enterprise": (
        lambda c: EnterpriseFactory(town=c.town_a, name="甲镇水泥有限公司"),
        "/enterprises/{pk}/edit/",
        ("name", "甲镇水泥股份有限公司"),
        ("contact_person", "乙方填写的联系人"),
    ),
    "unit": (
        lambda c: c.town_a,
        "/org/units/{pk}/edit/",
        ("phone", "0571-11112222"),
        ("address", "乙方填写的地址"),
    ),
    "proposal": (
        _proposal,
        "/projects/library/{pk}/edit/",
        ("name", "不锈钢精密带材二期项目"),
        ("chain_node", "乙方填写的产业链环节"),
    ),
    "project": (
        lambda c: make_project(c, c.coordinator),
        "/projects/{pk}/edit/",
        ("name", "新能源电池二期项目"),
        ("investor_origin", "乙方填写的来源地"),
    ),
}


def _second_coordinator(county: Any) -> Any:
    other = UserFactory(username="coordinator2", display_name="李四")
    MembershipFactory(user=other, unit=county.bureau, role=Role.COORDINATOR)
    return other


def _session(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _as_posted(form: Any) -> dict[str, Any]:
    """What the browser sends back for a form as it was shown."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or (form.fields[name].disabled and name != "uscc"):
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    return data


def _when(record: models.Model) -> str:
    latest = audit.history(record, limit=1)[0]
    return f"{timezone.localtime(latest.at):%Y-%m-%d %H:%M}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_second_of_two_editors_is_refused_and_nothing_is_lost(county: Any, kind: str) -> None:
    make, url, (first_field, first_value), (second_field, second_value) = KINDS[kind]
    record = make(county)
    url = url.format(pk=record.pk)
    first, second = _session(county.coordinator), _session(_second_coordinator(county))
    first_data = _as_posted(first.get(url).context["form"])
    second_data = _as_posted(second.get(url).context["form"])  # both opened the same version
    read = getattr(record, second_field)

    saved = first.post(url, first_data | {first_field: first_value})
    assert saved.status_code == 302, saved.context["form"].errors
    refused = second.post(url, second_data | {second_field: second_value})

    assert refused.status_code == 200  # the form comes back, nothing saved
    form = refused.context["form"]
    record.refresh_from_db()
    message = f"已被 coordinator 于 {_when(record)} 修改，请刷新后再改"
    assert form.non_field_errors() == [message]
    page = refused.content.decode()
    assert message in page and second_value in page  # what the second typed stays on the page
    label = str(type(record)._meta.get_field(first_field).verbose_name)
    assert [row[0] for row in form.stale_changes] == [label]  # what changed: read → now
    assert form.stale_changes[0][2] == first_value and first_value in page
    assert getattr(record, first_field) == first_value and getattr(record, second_field) == read

    # Having seen the change, the second opens the form again and saves: both changes are kept.
    again = _as_posted(second.get(url).context["form"])
    assert second.post(url, again | {second_field: second_value}).status_code == 302
    record.refresh_from_db()
    assert (getattr(record, first_field), getattr(record, second_field)) == (first_value, second_value)


def test_a_form_without_its_version_is_refused_not_saved(county: Any) -> None:
    client = _session(county.staff_a)
    url = f"/org/units/{county.town_a.pk}/edit/"
    data = _as_posted(client.get(url).context["form"])
    data.pop("version")
    refused = client.post(url, data | {"phone": "0571-33334444"})
    assert refused.status_code == 200 and refused.context["form"].non_field_errors() == [versioning.MISSING]
    county.town_a.refresh_from_db()
    assert county.town_a.phone != "0571-33334444"


def _api(user: Any) -> Client:
    _token, raw = org_services.token_create(by=SYSTEM, user=user, name="两人同时修改")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("kind", "url", "first", "second"),
    [
        ("unit", "/api/org/units/{pk}", {"phone": "0571-11112222"}, {"address": "乙方填写的地址"}),
        ("project", "/api/projects/{pk}", {"name": "新能源电池二期项目"}, {"investor_origin": "江苏苏州"}),
    ],
)
def test_the_api_answers_a_stale_update_409_and_keeps_the_first(
    county: Any, kind: str, url: str, first: dict[str, str], second: dict[str, str]
) -> None:
    record = county.town_a if kind == "unit" else make_project(county, county.coordinator)
    url = url.format(pk=record.pk)
    alice, bob = _api(county.coordinator), _api(_second_coordinator(county))
    read = alice.get(url).json()
    assert bob.get(url).json()["version"] == read["version"]

    saved = _patch(alice, url, first | {"version": read["version"]})
    assert saved.status_code == 200 and saved.json()["version"] == read["version"] + 1
    stale = _patch(bob, url, second | {"version": read["version"]})

    record.refresh_from_db()
    assert (stale.status_code, stale.json()) == (
        409,
        {"detail": f"已被 coordinator 于 {_when(record)} 修改，请刷新后再改"},
    )
    (name, value), (other, _typed) = next(iter(first.items())), next(iter(second.items()))
    assert getattr(record, name) == value and getattr(record, other) == read[other]
    # Read again, then the second's change goes through on top of the first's.
    fresh = bob.get(url).json()
    assert _patch(bob, url, second | {"version": fresh["version"]}).status_code == 200
    record.refresh_from_db()
    assert getattr(record, name) == value and getattr(record, other) == second[other]


def test_an_import_or_a_state_move_in_between_also_makes_an_open_form_stale(county: Any) -> None:
    """Every audited change counts, whoever made it: an edit read before it is refused."""
    project = make_project(county, county.coordinator)
    client = _session(county.coordinator)
    url = f"/projects/{project.pk}/edit/"
    data = _as_posted(client.get(url).context["form"])
    from zhaoshang.projects import services as project_services

    project_services.project_move(SYSTEM, project, "negotiating", on=timezone.localdate())
    refused = client.post(url, data | {"name": "改名"})
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()[0].startswith("已被 系统 于 ")
    project.refresh_from_db()
    assert project.name != "改名" and project.stage == "negotiating"


def test_a_years_figures_corrected_over_a_stale_read_answer_409(county: Any) -> None:
    from zhaoshang.enterprises.tests.factories import EnterpriseYearFactory

    firm = EnterpriseFactory(town=county.town_a)
    EnterpriseYearFactory(enterprise=firm, year=2025, tax=Decimal("10"), revenue=Decimal("100"))
    url = f"/api/enterprises/{firm.pk}/years/2025"
    alice, bob = _api(county.coordinator), _api(_second_coordinator(county))
    (read,) = alice.get(f"/api/enterprises/{firm.pk}/years").json()
    put = alice.put(
        url,
        json.dumps({"tax": "12", "version": read["version"], "reason": "税务局核定数"}),
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["version"] == read["version"] + 1
    stale = bob.put(
        url,
        json.dumps({"revenue": "90", "version": read["version"], "reason": "企业更正"}),
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["detail"].endswith("修改，请刷新后再改")
    (now,) = alice.get(f"/api/enterprises/{firm.pk}/years").json()
    assert (now["tax"], now["revenue"]) == ("12.0000", "100.0000")
    first = bob.put(
        f"/api/enterprises/{firm.pk}/years/2026", json.dumps({"tax": "1"}), content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["version"] == 1  # a first entry reads nothing before
