"""Plain multi-row INSERTs for imports: the ORM's bulk_create compiles every value of every row, which
costs more than the rest of an import. Values are adapted per field type once, as Django would."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models


def _adapter(field: models.Field) -> Callable[[Any], Any]:
    ops = connection.ops
    if isinstance(field, models.DecimalField):
        return lambda v: (
            None if v is None else ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
        )
    if isinstance(field, models.DateTimeField):
        return lambda v: None if v is None else ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else ops.adapt_datefield_value(v)
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    return lambda v: v


def insert(model: type[models.Model], objs: Sequence[models.Model], chunk: int = 2000) -> None:
    """Insert new rows (primary keys left to the database). Runs `pre_save` for auto_now fields."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    adapters = [_adapter(f) for f in fields]
    timed = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    for start in range(0, len(objs), chunk):
        params = []
        for obj in objs[start : start + chunk]:
            for f in timed:
                f.pre_save(obj, add=True)
            params.append([adapt(getattr(obj, f.attname)) for f, adapt in zip(fields, adapters, strict=True)])
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
