"""What the demo county is, independent of row ids and clocks: two builds must give the same fingerprint."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models

# Salted, clock-dependent or id-carrying values: they differ between two builds of the same county.
SKIP_NAMES = {
    *("password", "hash", "prev_hash", "hmac", "before", "after", "key", "request_id"),
    *("target_id", "dedupe_key", "input_digest", "path", "jurisdiction_path", "link"),  # these carry row ids
}


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.name not in SKIP_NAMES
        and not isinstance(f, models.DateTimeField | models.FileField)
    ]


def _without_ids(item: Any) -> Any:
    return {k: v for k, v in item.items() if k not in SKIP_NAMES} if isinstance(item, dict) else item


def demo_fingerprint() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every Zhaoshang table, ids replaced by the row's rank in its table."""
    project = [m for m in apps.get_models(include_auto_created=True) if m.__module__.startswith("zhaoshang.")]
    project += [m for m in apps.get_models(include_auto_created=True) if m._meta.auto_created]
    ranks: dict[type[models.Model], dict[Any, int]] = {}

    def rank(model: type[models.Model]) -> dict[Any, int]:
        if model not in ranks:
            pks = model._default_manager.order_by("pk").values_list("pk", flat=True)
            ranks[model] = {pk: n for n, pk in enumerate(pks)}
        return ranks[model]

    out: dict[str, list[tuple[Any, ...]]] = {}
    for model in dict.fromkeys(project):
        fields = _fields(model)
        rows = []
        for values in model._default_manager.order_by("pk").values_list(*[f.attname for f in fields]):
            row = []
            for field, value in zip(fields, values, strict=True):
                if field.is_relation and value is not None:
                    value = rank(field.related_model).get(value, "outside")
                elif isinstance(value, list):  # a notification's items: their links carry row ids
                    value = [_without_ids(item) for item in value]
                row.append(value)
            rows.append(tuple(row))
        if model._meta.auto_created:
            rows.sort()  # a many-to-many link is a set: the order Django inserts it in follows the ids' hashes
        if rows:
            out[model._meta.label] = rows
    return out
