from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhaoshang.core import context

# Pages reachable without logging in. Everything else sends the visitor to the log-in page.
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/api/", "/healthz")


class SecurityHeadersMiddleware:
    """Permissions-Policy on every answer; `Cache-Control: no-store` on every page a signed-in user
    gets (they carry personal and tax data) and on every download. Static files stay cacheable
    (WhiteNoise answers them before this runs)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.ZHAOSHANG_PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = response.get("Content-Disposition", "").startswith("attachment")
        if (signed_in or download or request.path.startswith("/api/")) and not request.path.startswith(
            "/static/"
        ):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class RequestContextMiddleware:
    """Tags each request with an id and the client address, for the audit log and the error log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = context.request_id_from(request.headers.get("X-Request-Id", ""))
        user = getattr(request, "user", None)
        principal = getattr(request, "principal", None)
        authenticated = bool(user is not None and user.is_authenticated)
        ctx = context.ActorContext(
            user_id=user.pk if user is not None and authenticated else None,
            user_repr=str(user) if authenticated else "",
            role=",".join(sorted(principal.roles)) if principal is not None else "",
            unit_repr=str(principal.extra.get("unit_repr", "")) if principal is not None else "",
            ip=context.client_ip(request.META),
            request_id=request_id,
            channel="api" if request.path.startswith("/api/") else "web",
        )
        with context.acting(ctx):
            response = self.get_response(request)
        response["X-Request-Id"] = request_id
        return response


class RefusalAuditMiddleware:
    """A signed-in user's 403s, and 404s on a known route (a record outside their scope answers "not
    found"), go to the audit log, capped per user, with an alert on repeated probing (core.refusals).
    Sits inside RequestContextMiddleware, so the event names the user and the address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (403, 404) and not request.path.startswith("/static/"):
            ctx = context.current()  # the API's token log-in updates it inside the view
            known_route = response.status_code == 403 or getattr(request, "resolver_match", None) is not None
            if ctx.user_id is not None and known_route:
                from zhaoshang.core import refusals

                refusals.record_refusal(
                    user_id=ctx.user_id,
                    user_repr=ctx.user_repr,
                    status=response.status_code,
                    path=request.get_full_path(),
                )
        return response


class LoginRequiredMiddleware:
    """Every page needs a log-in unless it is listed as public; the API checks its own auth."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class OwnErrorPagesMiddleware:
    """With DEBUG on (`make run`), a page that is not found still answers with the platform's own
    Chinese 404 page, never Django's debug page with its list of URLs. The API keeps its JSON.

    403 needs nothing here: Django answers it with `handler403` whatever DEBUG says.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not request.path.startswith(("/api/", "/static/"))
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return render(request, "404.html", status=404)
        return response
