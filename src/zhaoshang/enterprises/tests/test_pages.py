"""The pages a town's staff use: register, edit, upload (small and large), export what the list shows."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from zhaoshang.core import imports, jobs
from zhaoshang.core.models import ImportBatch
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.tests.factories import EnterpriseFactory, make_uscc

pytestmark = pytest.mark.django_db


def test_registering_and_editing_through_the_forms(client: object, county: object) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    data = {
        "uscc": make_uscc(501),
        "name": "甲镇新材料有限公司",
        "industry_code": "3062",
        "town": county.town_a.pk,
        "status": "operating",
        "land_owned_mu": "35.5",
    }  # type: ignore[attr-defined]
    bad = client.post("/enterprises/new/", {**data, "industry_code": "9999"})  # type: ignore[attr-defined]
    page = bad.content.decode()
    assert bad.status_code == 200 and "不是 GB/T 4754-2017" in page and "甲镇新材料有限公司" in page
    response = client.post("/enterprises/new/", data)  # type: ignore[attr-defined]
    e = Enterprise.objects.get(uscc=data["uscc"])
    assert response.status_code == 302 and e.land_owned_mu == 35.5
    response = client.post(
        f"/enterprises/{e.pk}/edit/",
        {**data, "name": "甲镇新材料股份有限公司", "reason": "改制", "version": e.version},
    )  # type: ignore[attr-defined]
    e.refresh_from_db()
    assert response.status_code == 302 and e.name == "甲镇新材料股份有限公司" and e.uscc == data["uscc"]


def test_junk_uploads_get_a_message_not_a_500(client: object, county: object) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    upload = SimpleUploadedFile("名录.xlsx", b"this is not a workbook" * 100)
    response = client.post("/enterprises/import/", {"kind": "enterprises", "file": upload})  # type: ignore[attr-defined]
    assert response.status_code == 302
    page = client.get(response.url).content.decode()  # type: ignore[attr-defined]
    assert 'id="file-error"' in page and "不是 Excel 工作簿" in page


def test_a_large_file_is_checked_and_imported_by_the_worker(
    client: object, county: object, monkeypatch: object
) -> None:
    monkeypatch.setattr(imports, "INLINE_BYTES", 0)  # type: ignore[attr-defined]
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    data = imports.export("enterprises", SYSTEM)
    wb = load_workbook(io.BytesIO(data))
    wb.active.append([make_uscc(601), "甲镇大文件企业", "3011", "甲镇"])
    buf = io.BytesIO()
    wb.save(buf)
    response = client.post(
        "/enterprises/import/",
        {
            "kind": "enterprises",  # type: ignore[attr-defined]
            "file": SimpleUploadedFile("大文件.xlsx", buf.getvalue()),
        },
    )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.CHECKING and batch.job is not None
    assert 'hx-get="/jobs/' in client.get(response.url).content.decode()  # type: ignore[attr-defined]
    jobs.run_pending()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY
    client.post(f"/enterprises/import/{batch.pk}/commit/")  # type: ignore[attr-defined]
    jobs.run_pending()
    batch.refresh_from_db()
    assert (
        batch.status == ImportBatch.Status.IMPORTED
        and Enterprise.objects.filter(name="甲镇大文件企业").exists()
    )


def test_the_export_is_what_the_list_shows(client: object, county: object) -> None:
    EnterpriseFactory(name="甲镇水泥厂", town=county.town_a, industry_code="3011")  # type: ignore[attr-defined]
    EnterpriseFactory(name="甲镇纸箱厂", town=county.town_a, industry_code="2231")  # type: ignore[attr-defined]
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    response = client.get("/enterprises/?industry=30&format=xlsx")  # type: ignore[attr-defined]
    ws = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert names == ["甲镇水泥厂"]
    assert ws["D2"].value == "甲镇"  # towns by name, as the template takes them


def test_the_import_page_is_for_those_who_edit(client: object, county: object) -> None:
    client.force_login(county.leader)  # type: ignore[attr-defined]
    assert client.get("/enterprises/import/").status_code == 403  # type: ignore[attr-defined]
    assert client.get("/enterprises/templates/enterprises.xlsx").status_code == 403  # type: ignore[attr-defined]
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    assert client.get("/enterprises/templates/enterprises.xlsx").status_code == 200  # type: ignore[attr-defined]
    assert client.get("/enterprises/templates/nonsense.xlsx").status_code == 404  # type: ignore[attr-defined]


def test_a_park_users_export_names_the_towns_of_its_firms(client: object, county: object) -> None:
    from zhaoshang.core.roles import Role
    from zhaoshang.org.tests.factories import MembershipFactory, UserFactory

    park_user = UserFactory(username="park_staff")
    MembershipFactory(user=park_user, unit=county.village_a, role=Role.UNIT_STAFF)  # type: ignore[attr-defined]
    EnterpriseFactory(name="园区企业", town=county.town_a, park=county.village_a)  # type: ignore[attr-defined]
    client.force_login(park_user)  # type: ignore[attr-defined]
    ws = load_workbook(io.BytesIO(client.get("/enterprises/?format=xlsx").content)).active  # type: ignore[attr-defined]
    assert (ws["B2"].value, ws["D2"].value, ws["E2"].value) == ("园区企业", "甲镇", "甲镇工业功能区")
