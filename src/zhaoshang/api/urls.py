"""The API: one NinjaAPI assembled from each app's `api.py`.

Its edges are shared by every app: the refusals of `zhaoshang.core.api.errors` (one error shape),
the statuses each operation documents (`zhaoshang.core.api.responses.responses`), and the
documentation page served from our own static files.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger, _csrf_needed

from zhaoshang.api.auth import ActiveSessionAuth, TokenAuth
from zhaoshang.chains.api import router as chains_router
from zhaoshang.core.api import errors
from zhaoshang.core.api.responses import DESCRIPTIONS
from zhaoshang.enterprises.api import router as enterprises_router
from zhaoshang.org.api import router as org_router
from zhaoshang.outreach.api import router as outreach_router
from zhaoshang.projects.api import router as projects_router


class LocalSwagger(Swagger):
    """Swagger UI from `core/static/vendor/` (copied by the set-up): the page works without the internet."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": settings, "api": api, "add_csrf": _csrf_needed(api)}
        return render(request, self.template, context)


class ZhaoshangAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """The document with the statuses described in Chinese, like the rest of it."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    if int(status) in DESCRIPTIONS:
                        answer["description"] = DESCRIPTIONS[int(status)]
        return schema


api = ZhaoshangAPI(
    title="招商 Zhaoshang API",
    version="1",
    description=(
        "县域招商引资与工业强县平台接口。会话（附 CSRF）或 Bearer 令牌认证；数据范围与页面一致。"
        '拒绝一律答 JSON：401/403/404 为 {"detail": …}，输入有误为 422 '
        '{"detail": …, "errors": {字段: [说明, …]}}。金额与面积（Decimal）以字符串表示，不经浮点。'
    ),
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    docs=LocalSwagger(settings={"docExpansion": "list", "defaultModelsExpandDepth": 0}),
    # The schema is no secret, but a government system shows nothing to people who have not logged in.
    docs_decorator=login_required,
)
errors.install(api)
api.add_router("/org/", org_router)
api.add_router("/enterprises/", enterprises_router)
api.add_router("/projects/", projects_router)
api.add_router("/chains/", chains_router)
api.add_router("/outreach/", outreach_router)
