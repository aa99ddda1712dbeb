"""Names and codes never hold display-spoofing characters (core.validators.validate_display_safe).

Checked before every save of a platform model, so a form, the API, a service and a script are
refused alike, with the field named in Chinese ("名称：含有不可见的…"); imports check each cell
(core.sheets.cells). Bulk writes of an import go past this hook, which is why the cells are checked.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver

from zhaoshang.core.validators import display_spoofing_problem, is_name_or_code


@cache
def _guarded_fields(model: type[models.Model]) -> tuple[models.CharField, ...]:
    if not model.__module__.startswith("zhaoshang.") or model._meta.app_label == "core":
        return ()
    return tuple(
        f for f in model._meta.concrete_fields if isinstance(f, models.CharField) and is_name_or_code(f.name)
    )


def spoofing_problems(instance: models.Model) -> dict[str, str]:
    problems = {}
    for f in _guarded_fields(type(instance)):
        value = getattr(instance, f.attname)
        if isinstance(value, str) and (problem := display_spoofing_problem(value)):
            problems[f.name] = f"{f.verbose_name}：{problem}"
    return problems


@receiver(pre_save, dispatch_uid="zhaoshang.display_guard")
def _refuse_spoofing(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return  # fixtures and restores load what was stored
    if problems := spoofing_problems(instance):
        raise ValidationError(problems)
