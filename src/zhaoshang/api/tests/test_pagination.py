"""Paginated lists refuse an offset no database integer holds (it answered 500, found by schemathesis)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/enterprises/", "/api/projects/", "/api/org/units", "/api/org/users"])
def test_an_offset_beyond_any_integer_is_refused_not_a_server_error(
    client: Client, county: Any, path: str
) -> None:
    client.force_login(county.coordinator)
    response = client.get(path, {"offset": 10**20})
    assert response.status_code == 422
    assert "offset" in response.json()["errors"]
    assert client.get(path, {"offset": 1_000_000_000}).status_code == 200
