"""Checking what an endpoint was sent: each problem a ValidationError by the API's field name.

The API's handlers (`zhaoshang.core.api.errors`) answer them 422 ``{"detail", "errors": {field: [中文]}}``,
like pydantic's own refusals; `named_as` renames a service's fields where they differ from the API's.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from ninja import Schema

from zhaoshang.core.scoping import Principal
from zhaoshang.core.validators import storable_text_problem
from zhaoshang.org import selectors
from zhaoshang.org.models import Unit
from zhaoshang.projects.api.schemas import EvidenceIn, ProjectIn, ProjectPatch
from zhaoshang.projects.engines.lifecycle import EVIDENCE_LABELS
from zhaoshang.projects.models import CHANNELS, PROJECT_TYPES, RANKS
from zhaoshang.projects.services.evidence import MAX_EVIDENCE_BYTES

# How a text field is named in a message: the form's label.
LABELS = {
    "name": "项目名称",
    "investor_name": "投资方",
    "investor_origin": "投资方来源地",
    "referrer": "引荐人或单位",
    "industry_code": "行业代码",
    "opinion": "意见",
    "what": "跟进情况",
    "next_step": "下一步",
    "note": "备注",
    "filename": "文件名",
    "content_base64": "附件内容",
}


def check_storable(payload: Schema) -> None:
    """Text the database cannot keep (NUL, lone surrogates) is refused here, not by a 500 from the driver."""

    def walk(value: Any, name: str) -> dict[str, str]:
        if isinstance(value, str) and (problem := storable_text_problem(value)):
            return {name: f"{LABELS.get(name, name)}：{problem}"}
        if isinstance(value, dict):
            return {k: m for key, item in value.items() for k, m in walk(item, key).items()}
        if isinstance(value, list):
            return {k: m for item in value for k, m in walk(item, name).items()}
        return {}

    if problems := walk(payload.dict(), ""):
        raise ValidationError(problems)


# base64 carries 3 bytes in 4 characters: a longer text cannot be a file within the limit.
MAX_EVIDENCE_BASE64 = (MAX_EVIDENCE_BYTES + 2) // 3 * 4


def evidence_of(items: list[EvidenceIn], field: str) -> list[tuple[str, str, bytes]]:
    """The attachments as (kind, name, bytes); a wrong kind, too large, not base64 or empty is refused."""
    found: list[tuple[str, str, bytes]] = []
    problems: list[str] = []
    for item in items:
        name = item.filename.strip() or "附件"
        if item.kind not in EVIDENCE_LABELS:
            allowed = "、".join(f"{k}（{v}）" for k, v in EVIDENCE_LABELS.items())
            problems.append(f"附件类型：“{item.kind}”不可用，只能是 {allowed}")
            continue
        if len(item.content_base64) > MAX_EVIDENCE_BASE64:  # refused before decoding it
            problems.append(f"附件：{name} 超过 {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB")
            continue
        try:
            data = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            problems.append(f"附件：{name} 的内容不是有效的 base64 编码")
            continue
        if not data:
            problems.append(f"附件：{name} 是空文件")
            continue
        found.append((item.kind, name, data))
    if problems:
        raise ValidationError({field: problems})
    return found


@contextmanager
def named_as(renames: Mapping[str, str], rules: Mapping[str, str] | None = None) -> Iterator[None]:
    """A service's ValidationError with its fields under the API's names (``town`` → ``town_id``).

    ``rules`` names the field of a message the service gave without one (the state machine's
    reasons, by their text). Only renames: the handlers answer the refusal.
    """
    try:
        yield
    except ValidationError as exc:
        given = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
        named: dict[str, list[ValidationError]] = {}
        moved = False
        for name, errors in given.items():
            for error in errors:
                field = renames.get(name, name)
                if name == NON_FIELD_ERRORS and rules:
                    field = rules.get(" ".join(error.messages), field)
                named.setdefault(field, []).append(error)
                moved |= field != name
        if not moved:
            raise
        raise ValidationError(named) from exc  # type: ignore[arg-type]


def units_for(payload: ProjectIn | ProjectPatch, principal: Principal) -> dict[str, Any]:
    """The payload's ids as records; a wrong id is named like any other bad field.

    Only the ids the body gives are looked up (an update names what it changes). Whether the user may
    name them is the service's check (`projects.services.check_references`), the same for every channel.
    """
    given = payload.model_fields_set if isinstance(payload, ProjectPatch) else set(type(payload).model_fields)
    problems: dict[str, str] = {}
    found: dict[str, Any] = {}
    lookups = (
        ("town", Unit.objects.filter(kind__code="town"), "乡镇：没有这个乡镇"),
        ("park", Unit.objects.filter(kind__code="park"), "园区：没有这个园区"),
        ("lead_unit", Unit.objects.all(), "牵头单位：没有这个单位"),
        (
            "responsible_leader",
            # Leaders of another county are not found, as on the page's picker.
            selectors.jurisdiction_leaders(principal),
            "包抓领导：只能选择您所在区域的县级领导",
        ),
    )
    for name, rows, missing in lookups:
        if f"{name}_id" not in given:
            continue
        key = getattr(payload, f"{name}_id")
        if key is None and name in ("town", "lead_unit"):
            problems[f"{name}_id"] = missing.split("：")[0] + "：必填"
            continue
        found[name] = rows.filter(pk=key).first() if key is not None else None
        if key is not None and found[name] is None:
            problems[f"{name}_id"] = missing
    if "channel" in given and payload.channel is not None and payload.channel not in dict(CHANNELS):
        problems["channel"] = "招商方式：只能是" + "、".join(label for _v, label in CHANNELS)
    if (
        "investor_rank" in given
        and payload.investor_rank is not None
        and payload.investor_rank not in dict(RANKS)
    ):
        problems["investor_rank"] = "投资方类别：只能是" + "、".join(label for v, label in RANKS if v)
    if "project_type" in given and payload.project_type and payload.project_type not in dict(PROJECT_TYPES):
        problems["project_type"] = "项目类型：只能是" + "、".join(label for _v, label in PROJECT_TYPES)
    if problems:
        raise ValidationError(problems)
    return found
