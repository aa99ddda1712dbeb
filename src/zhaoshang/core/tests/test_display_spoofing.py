"""Names and codes refuse bidirectional overrides and zero-width characters (a display-spoofing
vector), with a Chinese message naming the field, through forms, the API, services and imports."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from zhaoshang.core.sheets import Column
from zhaoshang.core.sheets.cells import parse_cell
from zhaoshang.core.validators import SPOOFING_CHARACTERS, display_spoofing_problem, validate_display_safe
from zhaoshang.org.models import Unit, User

SPOOFS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


def test_every_override_and_zero_width_character_is_refused_and_plain_names_pass() -> None:
    assert set(SPOOFS + INVISIBLE) == SPOOFING_CHARACTERS
    for ch in SPOOFS + INVISIBLE:
        with pytest.raises(ValidationError, match="不可见的方向控制符或零宽字符"):
            validate_display_safe(f"示范{ch}公司")
    assert "U+202E" in (display_spoofing_problem("abc\u202ecba") or "")
    for fine in ("某（集团）有限公司", "示范县·城关镇", "91330000MA2XXXXX0X", "Zhang San", "王 伟"):
        validate_display_safe(fine)


def test_an_import_cell_holding_one_is_refused_in_names_and_codes_only() -> None:
    with pytest.raises(ValueError, match="零宽字符"):
        parse_cell(Column("name", "企业名称"), "示范\u200b机械有限公司")
    with pytest.raises(ValueError, match="U\\+202E"):
        parse_cell(Column("uscc", "统一社会信用代码"), "91330000\u202eMA2X")
    assert parse_cell(Column("remark", "备注"), "说明\u200b文字") == "说明\u200b文字"


@pytest.mark.django_db
def test_the_unit_form_names_the_field_and_keeps_what_was_typed(county: object) -> None:
    client = Client()
    client.force_login(county.admin)  # type: ignore[attr-defined]
    kind = county.town_a.kind_id  # type: ignore[attr-defined]
    response = client.post(
        "/org/units/new/",
        {"name": "新桥\u202e镇", "kind": kind, "parent": county.county.pk},  # type: ignore[attr-defined]
    )
    body = response.content.decode()
    assert response.status_code == 200 and "名称：含有不可见的方向控制符或零宽字符" in body
    assert not Unit.objects.filter(name__startswith="新桥").exists()


@pytest.mark.django_db
def test_the_api_refuses_it_in_a_contact_person(county: object) -> None:
    client = Client()
    client.force_login(county.staff_a)  # type: ignore[attr-defined]
    unit = county.town_a  # type: ignore[attr-defined]
    response = client.patch(
        f"/api/org/units/{unit.pk}",
        json.dumps({"contact_person": "王\u200b伟", "version": unit.version}),
        content_type="application/json",
    )
    assert response.status_code == 422 and "联系人：含有不可见" in json.dumps(
        response.json(), ensure_ascii=False
    )
    unit.refresh_from_db()
    assert "\u200b" not in unit.contact_person


@pytest.mark.django_db
def test_a_service_or_script_saving_a_name_is_refused_too() -> None:
    with pytest.raises(ValidationError) as refused:
        User.objects.create(username="zhang\u2066san", display_name="张三")
    assert "username" in refused.value.message_dict and not User.objects.exists()
