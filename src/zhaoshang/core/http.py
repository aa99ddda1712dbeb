"""The request every view of the platform receives: Django's, with the principal attached.

`org.middleware.PrincipalMiddleware` sets `request.principal` on every request. Views annotate their
first argument as `Request` instead of `HttpRequest`, so `request.principal` is typed and needs no
helper and no `type: ignore`:

    def project_list(request: Request) -> HttpResponse:
        rows = selectors.projects_for_list(request.principal, …)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from zhaoshang.core.scoping import Principal


class Request(HttpRequest):
    """Only a type: at run time every request is a plain `HttpRequest` carrying these attributes."""

    principal: Principal
    # The logged-in user (org's User: every page but the log-in requires one). Core does not name the
    # model of an app above it, so the type stays open here.
    user: Any
