"""History boxes, the audit log and its export speak Chinese: labels, names, local times, no codes."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from zhaoshang.core import audit_display, context
from zhaoshang.core.models import AuditEvent
from zhaoshang.enterprises import services as enterprise_services
from zhaoshang.enterprises.tests.factories import make_uscc
from zhaoshang.org import services as org_services
from zhaoshang.org.principal import principal_for

pytestmark = pytest.mark.django_db


def _changed_enterprise(county: object) -> object:
    with context.acting(context.ActorContext(user_id=county.coordinator.pk, role="coordinator")):  # type: ignore[attr-defined]
        return _change_enterprise(county)


def _change_enterprise(county: object) -> object:
    staff = principal_for(county.coordinator)  # type: ignore[attr-defined]
    e = enterprise_services.enterprise_create(
        by=staff,
        uscc_code=make_uscc(21),
        data={
            "name": "甲镇机械",
            "industry_code": "3011",
            "town": county.town_a,
            "land_owned_mu": Decimal("50"),
        },  # type: ignore[attr-defined]
    )
    enterprise_services.enterprise_update(
        by=staff,
        enterprise=e,
        data={"town": county.town_b, "land_owned_mu": Decimal("62.5"), "scale_override": "above"},  # type: ignore[attr-defined]
        reason="迁址",
    )
    enterprise_services.enterprise_set_status(by=staff, enterprise=e, status="stopped", reason="停产整顿")
    return e


def test_a_history_box_shows_labels_names_and_figures(client: object, county: object) -> None:
    e = _changed_enterprise(county)
    client.force_login(county.coordinator)  # type: ignore[attr-defined]
    page = client.get(f"/enterprises/{e.pk}/").content.decode()  # type: ignore[attr-defined]
    history = page[page.index('id="history"') :]
    assert "甲镇" in history and "乙镇" in history  # the towns by name, not their ids
    assert "停产" in history and "stopped" not in history  # the status by its label
    assert "规上" in history and ">above<" not in history
    assert "62.5" in history and "62.5000" not in history
    assert "None" not in history and "{'" not in history


def test_related_records_are_named_with_one_query_per_model(county: object) -> None:
    _changed_enterprise(county)
    _changed_enterprise_b = enterprise_services.enterprise_create(
        by=principal_for(county.coordinator),  # type: ignore[attr-defined]
        uscc_code=make_uscc(22),
        data={"name": "乙镇化工", "industry_code": "2614", "town": county.town_b},  # type: ignore[attr-defined]
    )
    events = list(AuditEvent.objects.filter(target_type="enterprises.enterprise"))
    with CaptureQueriesContext(connection) as queries:
        described = audit_display.describe(events)
    assert len(queries) == 1  # the units (town, park) of every event at once
    assert any("乙镇" in new for _e, rows in described for _label, _old, new in rows)
    assert _changed_enterprise_b.pk


def test_structured_values_and_booleans_read_as_lines() -> None:
    assert audit_display.structured({"intensity": "300.0000", "start": "2025-06-01"}) == (
        "投资强度（万元/亩）：300；开工日期：2025-06-01"
    )
    assert audit_display.structured([]) == "—"
    assert audit_display.structured([{"name": "甲", "ok": True}]) == "（名称：甲；是否通过：是）"


def test_a_user_history_hides_secrets_and_log_in_bookkeeping(client: object, county: object) -> None:
    admin = principal_for(county.admin)  # type: ignore[attr-defined]
    person = org_services.user_create(
        by=admin, username="wangwu", password="Zs-long-enough-1", display_name="王五"
    )
    org_services.user_set_active(by=admin, user=person, active=False, reason="调离")
    client.force_login(county.admin)  # type: ignore[attr-defined]
    page = client.get(f"/org/users/{person.pk}/").content.decode()  # type: ignore[attr-defined]
    history = page[page.index('id="history"') :]
    assert "王五" in history and "否" in history
    for hidden in ("密码", "超级用户", "上次登录", "工作人员状态", "pbkdf2", "md5$"):
        assert hidden not in history


def test_the_audit_log_lists_record_kinds_and_times_in_chinese(client: object, county: object) -> None:
    _changed_enterprise(county)
    client.force_login(county.inspector)  # type: ignore[attr-defined]
    page = client.get("/audit/").content.decode()  # type: ignore[attr-defined]
    assert '<option value="enterprises.enterprise">企业</option>' in page
    assert ">enterprises.enterprise<" not in page and "enterprises.enterprise " not in page
    event = AuditEvent.objects.filter(target_type="enterprises.enterprise").first()
    from django.utils import timezone

    assert timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M") in page  # Asia/Shanghai


def test_the_audit_export_has_chinese_columns_and_role_labels(client: object, county: object) -> None:
    _changed_enterprise(county)
    client.force_login(county.inspector)  # type: ignore[attr-defined]
    response = client.get("/audit/?format=xlsx")  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "时间", "操作人", "角色")
    assert all(not str(h).isascii() for h in rows[0])
    mine = [r for r in rows[1:] if r[6] == "企业"]
    assert mine and {r[3] for r in mine} == {"统筹协调"}
    assert any("乙镇" in (r[9] or "") for r in mine)


def test_django_messages_come_in_chinese(client: object, county: object) -> None:
    client.force_login(county.admin)  # type: ignore[attr-defined]
    page = client.post("/org/users/new/", {"username": "", "password": ""}).content.decode()  # type: ignore[attr-defined]
    assert "这个字段是必填项。" in page
    page = client.post(  # type: ignore[attr-defined]
        "/org/users/new/",
        {"username": "zhaoliu", "password": "12345678", "unit": county.town_a.pk, "role": "unit_staff"},  # type: ignore[attr-defined]
    ).content.decode()
    assert "密码长度太短" in page and "密码只包含数字" in page
    assert "too short" not in page


def test_a_missing_page_is_our_own_even_with_debug_on(
    client: object, county: object, settings: object
) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    client.force_login(county.coordinator)  # type: ignore[attr-defined]
    response = client.get("/no-such-page/")  # type: ignore[attr-defined]
    page = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in page
    assert "URLconf" not in page and "Page not found" not in page
    response = client.get("/enterprises/999999/")  # type: ignore[attr-defined]
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_enterprises_do_not_see_the_project_menu(client: object, county: object) -> None:
    client.force_login(county.enterprise)  # type: ignore[attr-defined]
    page = client.get("/").content.decode()  # type: ignore[attr-defined]
    assert 'href="/projects/"' not in page and 'href="/projects/library/"' not in page
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    assert 'href="/projects/"' in client.get("/").content.decode()  # type: ignore[attr-defined]
