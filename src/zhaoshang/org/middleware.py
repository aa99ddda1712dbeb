from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from zhaoshang.org.principal import principal_for


class PrincipalMiddleware:
    """Attaches `request.principal`, the scope every list query of the request is filtered by."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.principal = SimpleLazyObject(lambda: principal_for(request.user))  # type: ignore[attr-defined]
        return self.get_response(request)
