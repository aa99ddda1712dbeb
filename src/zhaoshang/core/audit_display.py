"""Audit events in words people read: labels, choice names, related records' names, local times.

An event stores what the database held (codes, ids, ISO times, Decimal strings). A page shows a
list of events through `describe(events)`, which looks up the related records of the whole list at
once (one query per related model) and turns every value into Chinese text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from zhaoshang.core import audit, numbers
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.roles import ROLE_LABELS

# Fields nobody edits or recognises: secrets, log-in bookkeeping, tree paths, digests and ids.
HIDDEN_FIELDS = frozenset(
    {
        "id",
        "password",
        "last_login",
        "is_superuser",
        "is_staff",
        "path",
        "jurisdiction_path",
        "depth",
        "hash",
        "prev_hash",
        "key_hash",
        "input_digest",
        "name_initials",
        "created_at",
        "updated_at",
    }
)

# Keys of structured values (a project's promise at signing and the like) in words.
KEY_LABELS = {
    "intensity": "投资强度（万元/亩）",
    "tax_per_mu": "亩均税收（万元/亩）",
    "output": "年产值（万元）",
    "start": "开工日期",
    "production": "投产日期",
    "full_output": "达产日期",
    "amount": "金额（万元）",
    "year": "年度",
    "score": "得分",
    "points": "得分",
    "name": "名称",
    "label": "名称",
    "title": "名称",
    "reason": "原因",
    "note": "说明",
    "passed": "是否通过",
    "ok": "是否通过",
    "decision": "结论",
    "by": "经办人",
}


CHANNEL_LABELS = {"web": "网页", "api": "接口", "cli": "命令行", "worker": "后台任务", "system": "系统"}


def channel_label(code: str) -> str:
    return CHANNEL_LABELS.get(code, code)


# Models whose verbose_name is still Django's English default (projects/, until it moves).
RECORD_KIND_NAMES = {
    "projects.followup": "跟进记录",
    "projects.evidence": "项目附件",
    "promotion.promotionproject": "储备项目",
    "promotion.promotionfile": "储备项目附件",
    "projects.stagemove": "阶段变更",
    "projects.fundarrival": "资金到位",
    "projects.milestone": "节点",
    "projects.review": "项目预审",
    "projects.rulebook": "项目规则",
    "core.auditevent": "审计日志",
    "page": "页面",
    "axes.accessattempt": "登录锁定",
}


def record_kind(target_type: str) -> str:
    """The Chinese name of a kind of record ("企业" for enterprises.enterprise); "" when unknown."""
    try:
        name = str(apps.get_model(audit.current_label(target_type))._meta.verbose_name)
    except (LookupError, ValueError):
        name = ""
    if not name or name.isascii():
        name = RECORD_KIND_NAMES.get(target_type, "")
    return name


def role_label(code: str) -> str:
    return str(dict(ROLE_LABELS).get(code, code)) if code else ""  # type: ignore[call-overload]


def _model(target_type: str) -> type[models.Model] | None:
    try:
        # Events recorded before a model moved app keep their old label: read them as the model.
        return apps.get_model(audit.current_label(target_type))
    except (LookupError, ValueError):
        return None


def _fields(model: type[models.Model] | None) -> dict[str, models.Field[Any, Any]]:
    if model is None:
        return {}
    return {
        f.name: f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS and (f.editable or isinstance(f, models.JSONField))
    }


# A Decimal as an event stores it: "12.5000", "-3.2", "8E+2" (a normalised 800).
DECIMAL_TEXT = re.compile(r"-?\d+(\.\d+)?(E[+-]?\d+)?|-?\d+\.\d+", re.I)


def _plain(value: Any) -> str:
    """A scalar inside a structured value."""
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value in (None, ""):
        return "—"
    if isinstance(value, float | int | Decimal):
        return numbers.number(value)
    if isinstance(value, str) and DECIMAL_TEXT.fullmatch(value):
        try:
            return numbers.number(Decimal(value))
        except InvalidOperation:
            pass
    return str(value)


def structured(value: Any) -> str:
    """A dict or list as readable lines ("投资强度（万元/亩）：300"), never a Python repr."""
    if isinstance(value, dict):
        if not value:
            return "—"
        return "；".join(f"{KEY_LABELS.get(str(k), str(k))}：{structured(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        if not value:
            return "—"
        return "；".join(f"（{structured(v)}）" if isinstance(v, dict) else structured(v) for v in value)
    return _plain(value)


def _time(value: str, with_time: bool) -> str:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if with_time:
        if timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)
        return parsed.strftime("%Y-%m-%d %H:%M")
    return parsed.strftime("%Y-%m-%d")


def _value(field: models.Field[Any, Any], value: Any, names: dict[Any, str]) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return names.get(value, f"编号 {value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField) or isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        return _time(value, with_time=True)
    if isinstance(field, models.DateField) and isinstance(value, str):
        return _time(value, with_time=False)
    if isinstance(field, models.DecimalField | models.FloatField):
        try:
            return numbers.number(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if isinstance(value, dict | list):
        return structured(value)
    return str(value)


def describe(events: Iterable[AuditEvent]) -> list[tuple[AuditEvent, list[tuple[str, str, str]]]]:
    """Each event with its (label, before, after) rows, related records named in one query per model."""
    events = list(events)
    ids: dict[type[models.Model], set[Any]] = defaultdict(set)
    for e in events:
        fields = _fields(_model(e.target_type))
        for name, old, new in e.changed_fields:
            field = fields.get(name)
            if field is not None and field.is_relation and field.related_model is not None:
                ids[field.related_model] |= {v for v in (old, new) if v not in (None, "")}
    names: dict[type[models.Model], dict[Any, str]] = {
        model: {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=pks)}
        for model, pks in ids.items()
    }
    out = []
    for e in events:
        fields = _fields(_model(e.target_type))
        rows = []
        for name, old, new in e.changed_fields:
            field = fields.get(name)
            if field is None:
                continue
            known = names.get(field.related_model, {}) if field.is_relation else {}  # type: ignore[arg-type]
            rows.append((str(field.verbose_name), _value(field, old, known), _value(field, new, known)))
        out.append((e, rows))
    return out
