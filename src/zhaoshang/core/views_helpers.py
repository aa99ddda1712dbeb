"""Small helpers the views of every app share: role checks, pagination, history boxes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse

from zhaoshang.core.http import Request
from zhaoshang.core.pagination import BoundedPage
from zhaoshang.core.roles import Action

T = TypeVar("T")

PAGE_SIZE = 50


def requires(
    action: Action, *or_actions: Action
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse the page (403) unless one of the user's roles allows the action (or one of `or_actions`)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(request.principal.can(a) for a in (action, *or_actions)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def paginate(request: Request, rows: QuerySet | Sequence[Any], per_page: int = PAGE_SIZE) -> BoundedPage:
    """The page the query string asks for, read without counting the whole list (core.pagination)."""
    return BoundedPage(rows, request.GET.get("page"), per_page)


def query_without_page(request: Request) -> str:
    """The current filters as a query string, for pagination and export links."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


def form_problems(form: Any) -> str:
    """A refused form's errors as one Chinese line, each naming its field: "年度：…；次数：…". A
    service's refusal put on the form already names its field, and is not named twice."""
    return "；".join(
        error if "：" in error else f"{form.fields[name].label if name in form.fields else ''}：{error}"
        for name, errors in form.errors.items()
        for error in errors
    )


def refusal_onto(form: Any, exc: ValidationError) -> None:
    """A service's refusal onto the bound form, above its fields: its messages already name the field."""
    for problem in exc.messages:
        form.add_error(None, problem)


def put_on(form: Any, exc: ValidationError) -> None:
    """A service's refusal shown beside the field it names, so what was typed stays on the page."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def submit(form: Any, action: Callable[[dict[str, Any]], T]) -> T | None:
    """Run a service on a valid form's data: what it wrote, or None when the form or the service
    refused (the refusal is then on the form, beside its field, with what was typed kept)."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as exc:
        put_on(form, exc)
        return None
