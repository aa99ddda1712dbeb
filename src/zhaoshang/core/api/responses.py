"""What every operation may answer, for its ``response=``: its success and the shared refusals.

    from zhaoshang.core.api.responses import responses

    @router.get("/units/{unit_id}", response=responses(UnitOut), summary="单位详情")
    @router.post("/", response=responses(ProjectOut, status=201), summary="登记项目线索")
    @router.delete("/{pk}", response=responses(None, status=204), summary="…")

The refusals themselves are answered by the handlers of `zhaoshang.core.api.errors` (installed on the
one NinjaAPI), so a view raises ``PermissionDenied``, ``ValidationError`` or ``Http404`` and never
builds an error answer itself. ``@paginate`` works unchanged with ``responses(list[X])``.
"""

from __future__ import annotations

from typing import Any

from zhaoshang.core.api.schemas import Error, Refusal

# The Chinese description of each status in the OpenAPI document (see `ZhaoshangAPI`).
DESCRIPTIONS = {
    200: "成功",
    201: "已创建",
    204: "已完成，无内容",
    401: "未登录或令牌无效",
    403: "无权执行此操作",
    404: "记录不存在或不在权限范围内",
    409: "记录已被他人修改：请重新读取（取得新的 version）后再改",
    422: "输入有误：逐字段说明",
    429: "请求过于频繁",
}


__all__ = ["DESCRIPTIONS", "REFUSALS", "Error", "Refusal", "responses"]

REFUSALS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 422: Refusal}


def responses(success: Any, status: int = 200, *, stale: bool = False) -> dict[int, Any]:
    """``response=`` for one operation: ``success`` under ``status`` plus 401, 403, 404 and 422.

    Another status is added with ``responses(X) | {409: Error}``; an update of a versioned record
    uses ``responses(X, stale=True)``, which adds that 409.
    """
    found = {status: success, **REFUSALS}
    return found | {409: Error} if stale else found
