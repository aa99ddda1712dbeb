"""The API's pagination: ninja's limit/offset with the offset bounded too.

An offset beyond what the database's integers hold (say 10^20) reached the SQL and answered 500
("datatype mismatch" on SQLite, "bigint out of range" on PostgreSQL); it is now refused with 422.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

# Far beyond any list of the county, well inside a 64-bit integer.
MAX_OFFSET = 1_000_000_000


class BoundedLimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.PAGINATION_PER_PAGE, ge=1, le=settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
