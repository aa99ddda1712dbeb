"""Pages of a list that cost the same on the first page and the two-thousandth, at any size of scope.

Django's paginator counts the whole scope on every page (a full scan of 200,000 enterprises to show
50). A `BoundedPage` reads one row more than it shows, which says whether a next page exists, and
counts at most `COUNT_CAP` rows, only when the page shows the count: "共 37 条" below the cap,
"超过 1,000 条" above it, and "共 N 页" only when it is known.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any

from django.db.models import QuerySet

from zhaoshang.core.numbers import number as num

COUNT_CAP = 1000


def _number(raw: Any) -> int:
    try:
        number = int(str(raw))
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


class BoundedPage:
    def __init__(self, rows: QuerySet[Any] | Sequence[Any], raw_number: Any, per_page: int) -> None:
        self._rows = rows
        self.per_page = per_page
        self.number = _number(raw_number)
        self._read()
        if not self.object_list and self.number > 1:
            # Past the end (a shared link after rows were withdrawn): the last page, when it is known.
            total = self.total
            self.number = max(1, -(-total // per_page)) if total is not None else 1
            self._read()

    def _read(self) -> None:
        start = (self.number - 1) * self.per_page
        fetched = list(self._rows[start : start + self.per_page + 1])
        self._more = len(fetched) > self.per_page
        self.object_list = fetched[: self.per_page]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self._more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    @cached_property
    def total(self) -> int | None:
        """How many rows the list holds, if at most COUNT_CAP; None beyond (never a full count)."""
        if not self._more and (self.object_list or self.number == 1):
            return (self.number - 1) * self.per_page + len(self.object_list)  # known without a query
        rows = self._rows
        if isinstance(rows, QuerySet):  # ids only, unordered: no annotation or sort is computed to count
            capped = rows.order_by().values("pk")[: COUNT_CAP + 1].count()
        else:
            capped = min(len(rows), COUNT_CAP + 1)
        return capped if capped <= COUNT_CAP else None

    @property
    def pages(self) -> int | None:
        total = self.total
        return None if total is None else max(1, -(-total // self.per_page))

    @property
    def count_text(self) -> str:
        total = self.total
        return f"共 {num(total)} 条" if total is not None else f"超过 {num(COUNT_CAP)} 条"
