"""Plain multi-row INSERTs (COPY on PostgreSQL) for imports and evaluation results: the ORM's bulk_create compiles every value of every row, which
costs more than the rest of an import. Values are adapted per field type once, as Django would."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connection, models


class Encoded(str):
    """A JSON value already encoded by the caller (in bulk, once): stored as it is, not encoded again."""


def _json(field: models.Field) -> Callable[[Any], Any]:
    encoded = connection.vendor != "postgresql"  # SQLite and others take the JSON text as it is

    def adapt(value: Any) -> Any:
        if isinstance(value, Encoded):
            if encoded:
                return str(value)
            from psycopg.types.json import Jsonb

            return Jsonb(value, dumps=lambda text: text)
        return field.get_db_prep_save(value, connection)

    return adapt


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
        return _json(field)
    return lambda v: v


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def insert_values(model: type[models.Model], rows: Sequence[Mapping[str, Any]], chunk: int = 2000) -> None:
    """Insert rows given as {attname: value} (every concrete field but the primary key)."""
    fields = _fields(model)
    adapters = [_adapter(f) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column or f.attname) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":
        # COPY: one stream for all the rows, where executemany sends one INSERT per row.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([adapt(row[f.attname]) for f, adapt in zip(fields, adapters, strict=True)])
        return
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    for start in range(0, len(rows), chunk):
        params = [
            [adapt(row[f.attname]) for f, adapt in zip(fields, adapters, strict=True)]
            for row in rows[start : start + chunk]
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def insert(model: type[models.Model], objs: Sequence[models.Model], chunk: int = 2000) -> None:
    """Insert new model instances (primary keys left to the database); auto_now fields are set."""
    fields = _fields(model)
    timed = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    rows = []
    for obj in objs:
        for f in timed:
            f.pre_save(obj, add=True)
        rows.append({f.attname: getattr(obj, f.attname) for f in fields})
    insert_values(model, rows, chunk)
