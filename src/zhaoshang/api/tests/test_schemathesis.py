"""schemathesis as every role (see `fuzzing.py`): no 500, nothing outside the document, nothing outside the scope.

A bounded run: a few generated requests per operation and role. `make hardening` runs many more
(`hardening/hard_api.py`).
"""

from __future__ import annotations

from typing import Any

import pytest

from zhaoshang.api.tests import fuzzing

pytestmark = pytest.mark.django_db


def test_the_api_holds_to_its_document_and_scope_as_every_role(demo_county: Any) -> None:
    figures = fuzzing.run(examples=3)
    assert figures.operations >= 19
    assert figures.requests >= figures.operations * len(fuzzing.ROLES) * 2
    assert figures.problems == []
    assert figures.server_errors == figures.schema_violations == figures.scope_leaks == 0


def test_a_record_outside_the_scope_counts_as_a_leak(demo_county: Any) -> None:
    from types import SimpleNamespace

    from zhaoshang.projects.models import Project

    town = fuzzing.Role("unit_staff", "town")
    own = Project.objects.visible_to(town.principal).first()
    other = Project.objects.exclude(pk__in=Project.objects.visible_to(town.principal).values("pk")).first()
    assert own is not None and other is not None
    detail = SimpleNamespace(
        method="GET", path="/api/projects/{project_id}", path_parameters={"project_id": other.pk}
    )
    assert fuzzing._leaks(town, detail, 200, {"id": other.pk})
    assert not fuzzing._leaks(town, detail, 404, {"detail": "未找到"})
    listing = SimpleNamespace(method="GET", path="/api/projects/", path_parameters={})
    assert fuzzing._leaks(town, listing, 200, {"items": [{"id": own.pk}, {"id": other.pk}], "count": 2}) == [
        f"列表含范围以外的 Project {other.pk}"
    ]
    assert not fuzzing._leaks(town, listing, 200, {"items": [{"id": own.pk}], "count": 1})
