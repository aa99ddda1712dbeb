"""List pages, built one way: a FilterSet over what the principal may see, sortable columns,
the table swapped by htmx, and the export that writes the same rows.

    class EnterpriseFilter(ScopedFilterSet):
        q = django_filters.CharFilter(label="名称", method="search")
        town = ScopedChoice(label="乡镇", scope=selectors.towns, empty_label="全部乡镇")
        sort = Sort(fields={"name": "企业名称", "founded_on": "成立日期"}, default="name")

        class Meta:
            model = Enterprise
            fields: list[str] = []

    def enterprise_list(request: Request) -> HttpResponse:
        listing = EnterpriseFilter.for_request(request)
        return render_list(request, "enterprises/list.html", "enterprises/_table.html", listing)

- The queryset always starts from `Model.objects.visible_to(request.principal)`; pickers
  (`ScopedChoice`) list only what the principal may see, so a tampered id filters to nothing.
- `Sort` orders by a whitelisted column, always breaking ties on the primary key so pages never
  overlap; the `{% sort_header %}` tag draws the header link with its arrow.
- `render_list` gives the whole page, or only the table when htmx asks for it (`hx-get` with
  `hx-push-url`: filtering does not reload the page and the URL stays shareable).
- `ScopedFilterSet.applied()` names the filters in force in words, for the export and its audit event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import django_filters
from django import forms
from django.db.models import F, Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import render

from zhaoshang.core.forms import StyledForm
from zhaoshang.core.http import Request
from zhaoshang.core.scoping import Principal
from zhaoshang.core.views_helpers import paginate, query_without_page

TABLE_ID = "list-table"


class _FilterForm(StyledForm, forms.Form):
    pass


class ScopedChoice(django_filters.ModelChoiceFilter):
    """A picker over what the principal may see: `scope(principal)` gives the choices."""

    def __init__(self, *args: Any, scope: Callable[[Principal], QuerySet[Any]], **kwargs: Any) -> None:
        self.scope = scope
        # The real choices are set per principal by ScopedFilterSet; until then nothing is choosable.
        super().__init__(*args, queryset=None, **kwargs)


class Sort(django_filters.CharFilter):
    """Sorting by one of the listed columns (`name` or `-name`), ties broken on the primary key.

    An unknown key (a tampered URL) sorts by the default, silently: it is not a user's mistake.
    """

    def __init__(self, *, fields: Mapping[str, str], default: str, **kwargs: Any) -> None:
        self.labels = dict(fields)  # ORM ordering → the column's header
        self.default = default
        kwargs.setdefault("label", "排序")
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)

    def key(self, value: str | None) -> str:
        return value if value and value.lstrip("-") in self.labels else self.default

    def filter(self, qs: QuerySet[Any], value: str | None) -> QuerySet[Any]:
        key = self.key(value)
        # Rows without the figure go last either way: a missing score is not the lowest score.
        column = F(key.lstrip("-"))
        order = column.desc(nulls_last=True) if key.startswith("-") else column.asc(nulls_last=True)
        return qs.order_by(order, "-pk" if key.startswith("-") else "pk")


class ScopedFilterSet(django_filters.FilterSet):
    """A list's filters over `visible_to(principal)`; bad input filters nothing and is shown on the form."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        principal: Principal,
        queryset: QuerySet[Any] | None = None,
        request: Request | None = None,
    ) -> None:
        self.principal = principal
        if queryset is None:
            queryset = self.base_queryset(principal)
        super().__init__(data if data is not None else {}, queryset=queryset, request=request)
        for f in self.filters.values():
            if isinstance(f, ScopedChoice):
                f.queryset = f.scope(principal)

    @classmethod
    def for_request(cls, request: Request, **kwargs: Any) -> ScopedFilterSet:
        """The list as the page asks for it: the query string, the user's scope."""
        return cls(request.GET, principal=request.principal, request=request, **kwargs)

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[Any]:
        """What the principal may see of the list's model; override to add `select_related` for the page."""
        return cls._meta.model.objects.visible_to(principal)

    def get_form_class(self) -> type[forms.Form]:
        fields = {name: f.field for name, f in self.filters.items()}
        return type(f"{type(self).__name__}Form", (_FilterForm,), fields)

    def _sort(self) -> tuple[str, Sort] | None:
        return next(((n, f) for n, f in self.filters.items() if isinstance(f, Sort)), None)

    @property
    def qs(self) -> QuerySet[Any]:
        if not hasattr(self, "_qs"):
            rows = self.queryset.all()
            self.form.is_valid()
            # A field with a bad value is left out; the others still apply, and the form shows the error.
            cleaned = self.form.cleaned_data
            for name, value in cleaned.items():
                rows = self.filters[name].filter(rows, value)
            if (sort := self._sort()) and sort[0] not in cleaned:
                rows = sort[1].filter(rows, None)
            self._qs = rows
        return self._qs

    def sort_key(self) -> str:
        """The sort in force, as `name` or `-name`."""
        if (sort := self._sort()) is None:
            return ""
        self.form.is_valid()
        return sort[1].key(self.form.cleaned_data.get(sort[0]))

    def applied(self) -> list[tuple[str, str]]:
        """The filters in force, in words: [("乡镇", "甲镇"), ("规模", "规上")]; never ids."""
        self.form.is_valid()
        lines = []
        for name, value in self.form.cleaned_data.items():
            f = self.filters[name]
            if value is False or value in (None, "", [], ()) or isinstance(f, Sort):
                continue
            lines.append((str(f.label or name), _words(self.form.fields[name], value)))
        return lines


def _words(field: forms.Field, value: Any) -> str:
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, list | tuple | QuerySet):
        return "、".join(_words(field, v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    choices = dict(getattr(field, "choices", ()) or ())
    return str(choices.get(value, value))


def render_list(
    request: Request,
    template: str,
    table_template: str,
    listing: ScopedFilterSet,
    context: Mapping[str, Any] | None = None,
    *,
    rows: QuerySet[Any] | None = None,
) -> HttpResponse:
    """The list page, or only its table when htmx swaps it (filters, sorting, pages)."""
    page_context = {
        "listing": listing,
        "form": listing.form,
        "page": paginate(request, listing.qs if rows is None else rows),
        "query": query_without_page(request),
        "sort": listing.sort_key(),
        "table_id": TABLE_ID,
        **(context or {}),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == TABLE_ID and not htmx.history_restore_request:
        return render(request, table_template, page_context)
    return render(request, template, page_context)


class _Ticked(forms.BooleanField):
    """A checkbox that means "only these" when ticked and nothing at all when not."""

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # None: the filter is off
        return True if super().to_python(value) else None


class Ticked(django_filters.BooleanFilter):
    field_class = _Ticked

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)
