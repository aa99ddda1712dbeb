"""The organisation lists built from the list toolkit: scoped pickers, sorting, htmx, exports in words."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from zhaoshang.core.models import AuditEvent

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-table"}


def test_units_sort_by_kind_both_ways_and_htmx_gets_the_table(client: object, county: object) -> None:
    client.force_login(county.coordinator)  # type: ignore[attr-defined]
    asc = client.get("/org/units/?sort=kind__name", **HTMX).content.decode()  # type: ignore[attr-defined]
    desc = client.get("/org/units/?sort=-kind__name", **HTMX).content.decode()  # type: ignore[attr-defined]
    kinds = re.findall(r"</a></td>\s*<td>([^<]+)</td>", asc)
    assert kinds == sorted(kinds) and re.findall(r"</a></td>\s*<td>([^<]+)</td>", desc) == sorted(kinds)[::-1]
    assert asc.lstrip().startswith('<div id="list-table"') and "<html" not in asc


def test_the_unit_picker_offers_only_units_the_user_may_see(client: object, county: object) -> None:
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    page = client.get("/org/users/").content.decode()  # type: ignore[attr-defined]
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page)
    assert "甲镇" in options and "乙镇" not in options and "测试县" not in options
    html = client.get(f"/org/users/?unit={county.town_b.pk}").content.decode()  # type: ignore[attr-defined]
    assert "staff_b" not in html and "单位：" in html


def test_the_user_export_names_its_filters(client: object, county: object) -> None:
    client.force_login(county.coordinator)  # type: ignore[attr-defined]
    response = client.get(f"/org/users/?unit={county.town_a.pk}&role=unit_staff&format=xlsx")  # type: ignore[attr-defined]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == ["用户名", "名称", "职务", "单位与角色", "启用"]
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["staff_a"]
    assert ws["E2"].value == "是"
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("seq")
    assert event.after == {"筛选条件": "角色：单位工作人员；单位：甲镇"}
