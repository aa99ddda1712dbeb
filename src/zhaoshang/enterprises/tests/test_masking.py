"""A phone number reads the same in every channel: the page, the export and the API mask it for the
roles that do not work with the enterprise (领导, 督查, 系统管理员) and show it in full to the rest."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from zhaoshang.core.masking import mask_phone
from zhaoshang.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

FULL, MASKED = "13912346130", "139****6130"
# Role persona → what it reads.
SEES = {
    "leader": MASKED,
    "inspector": MASKED,
    "admin": MASKED,
    "coordinator": FULL,
    "staff_a": FULL,
    "enterprise": FULL,
}


@pytest.fixture
def firm(county: Any) -> Any:
    e = EnterpriseFactory(name="示范机械", town=county.town_a, contact_phone=FULL)
    e.users.add(county.enterprise)
    return e


def _exported_phones(client: Any) -> list[str]:
    response = client.get("/enterprises/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if "联系电话" in r)
    column = header.index("联系电话")
    return [r[column] for r in rows[rows.index(header) + 1 :] if r[column]]


@pytest.mark.parametrize("persona", sorted(SEES))
def test_every_channel_shows_the_phone_as_the_page_does(
    client: Any, county: Any, firm: Any, persona: str
) -> None:
    client.force_login(getattr(county, persona))
    shown = SEES[persona]
    page = client.get(f"/enterprises/{firm.pk}/").content.decode()
    assert f'<span id="contact-phone">{shown}</span>' in page
    assert _exported_phones(client) == [shown]
    assert client.get(f"/api/enterprises/{firm.pk}").json()["contact_phone"] == shown
    assert [x["contact_phone"] for x in client.get("/api/enterprises/").json()["items"]] == [shown]
    if shown == MASKED:
        assert FULL not in page


def test_the_export_masks_in_one_pass(client: Any, county: Any, django_assert_max_num_queries: Any) -> None:
    for n in range(5):
        EnterpriseFactory(town=county.town_a, contact_phone=f"1381234{n:04d}")
    client.force_login(county.leader)
    with django_assert_max_num_queries(25):
        phones = _exported_phones(client)
    assert len(phones) == 5 and all("****" in p for p in phones)


def test_the_mask_keeps_three_and_four() -> None:
    assert mask_phone(FULL) == MASKED
    assert mask_phone("0571-88881234") == "057****1234"
    assert mask_phone("12345") == "*****"
    assert mask_phone("") == ""
