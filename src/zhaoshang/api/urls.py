"""The API: one NinjaAPI assembled from each app's `api.py`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from zhaoshang.api.auth import ActiveSessionAuth, TokenAuth
from zhaoshang.enterprises.api import router as enterprises_router
from zhaoshang.org.api import router as org_router
from zhaoshang.projects.api import router as projects_router

api = NinjaAPI(
    title="招商 Zhaoshang API",
    version="1",
    description="县域招商引资与工业强县平台接口。会话（附 CSRF）或 Bearer 令牌认证；数据范围与页面一致。",
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    # The schema is no secret, but a government system shows nothing to people who have not logged in.
    docs_decorator=login_required,
)
api.add_router("/org/", org_router)
api.add_router("/enterprises/", enterprises_router)
api.add_router("/projects/", projects_router)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "未登录或令牌无效。"}, status=401)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]), "message": e.get("msg", "")}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": "输入有误。", "errors": errors}, status=422)
