"""The API documentation page works without the internet: Swagger UI from our own static files."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_only_the_sites_own_files(client: Client, county: Any) -> None:
    assert client.get("/api/docs").status_code == 302  # log in first, as before
    client.force_login(county.staff_a)
    page = client.get("/api/docs").content.decode()
    references = re.findall(r"""<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", page)
    assert len(references) == 3, references  # the stylesheet, Swagger UI, our start-up script
    for url in references:
        assert not re.match(r"^(https?:)?//", url), url
        assert url.startswith(settings.STATIC_URL), url
        assert finders.find(url.removeprefix(settings.STATIC_URL)), f"{url} is not in static"
    assert not re.search(r"https?://", page)
    config = json.loads(page.split('id="swagger-settings" type="application/json">')[1].split("</script>")[0])
    assert config["url"] == "/api/openapi.json"
    assert client.get(config["url"]).status_code == 200


def test_the_vendor_files_carry_no_reference_to_a_missing_source_map() -> None:
    # production's manifest storage refuses collectstatic on a reference to a file it lacks
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "bootstrap.bundle.min.js", "bootstrap.min.css"):
        path = finders.find(f"vendor/{name}")
        assert path, name
        with open(path, encoding="utf-8") as f:
            assert "sourceMappingURL" not in f.read()[-2000:], name
