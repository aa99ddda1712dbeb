"""One error shape for the whole API, installed on the NinjaAPI by `install(api)`.

Every refusal answers the same way, whoever raised it:

- 422 ``{"detail": "<one line>", "errors": {"<field>": ["<message>", ...]}}`` for a Django
  ``ValidationError`` raised by a service (its message dict, field by field; a message without a
  field goes under ``"__all__"``), for ninja's request validation (bad path, query or body
  parameters; pydantic's English messages are replaced by Chinese ones chosen by the error's
  ``type``, keyed by the last name in its ``loc``) and for a body that is not JSON;
- 409 ``{"detail": "已被 X 于 T 修改，请刷新后再改"}`` for ``core.versioning.StaleEdit``: the body's
  ``version`` is older than the record's (see the operation's ``responses(...) | {409: Error}``);
- 401 ``{"detail": ...}`` without a valid session or token, 403 for ``PermissionDenied``,
  404 for ``Http404`` / ``ObjectDoesNotExist`` (a record outside the user's scope looks missing).

Views therefore raise and never catch: no per-endpoint try/except.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from zhaoshang.core.versioning import StaleEdit

UNAUTHENTICATED = "未登录或令牌无效。"
FORBIDDEN = "您的角色无权执行此操作。"
NOT_FOUND = "记录不存在，或不在您的权限范围内。"
INVALID = "输入有误"
NOT_JSON = "请求体不是有效的 JSON。"
CSRF_FAILED = "CSRF 校验失败：请刷新页面后重试。"
THROTTLED = "请求过于频繁，请稍后再试。"
GENERIC = "输入不符合要求"
# A refusal that names no field (NON_FIELD_ERRORS, the whole body).
WHOLE = NON_FIELD_ERRORS

DATE = "应为日期，格式 YYYY-MM-DD"
DATETIME = "应为日期时间，格式 YYYY-MM-DDTHH:MM:SS"
TIME = "应为时间，格式 HH:MM:SS"


def _choices(ctx: Mapping[str, Any]) -> str:
    expected = str(ctx.get("expected", ""))
    # pydantic writes "'a', 'b' or 'c'"; the Chinese list uses 、 and no quotes.
    items = [part.strip().strip("'\"") for part in expected.replace(" or ", ",").split(",")]
    return "应为以下之一：" + "、".join(i for i in items if i)


def _number(value: Any) -> str:
    if isinstance(value, float | Decimal) and value == int(value):
        return str(int(value))
    return str(value)


# pydantic error type → Chinese message; a callable receives the error's ctx.
MESSAGES: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    "missing": "必填",
    "missing_argument": "必填",
    "extra_forbidden": "不允许的字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数，不能有小数",
    "int_parsing_size": "整数超出范围",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "decimal_parsing": "应为数字，例如 12.5",
    "decimal_type": "应为数字，例如 12.5",
    "decimal_max_digits": lambda c: f"数字最多 {c.get('max_digits')} 位",
    "decimal_max_places": lambda c: f"最多 {c.get('decimal_places')} 位小数",
    "decimal_whole_digits": lambda c: f"整数部分最多 {c.get('whole_digits')} 位",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_unicode": "应为有效的 Unicode 文本",
    "string_too_short": lambda c: f"至少 {c.get('min_length')} 个字符",
    "string_too_long": lambda c: f"最多 {c.get('max_length')} 个字符",
    "string_pattern_mismatch": "格式不符合要求",
    "too_short": lambda c: f"至少 {c.get('min_length')} 项",
    "too_long": lambda c: f"最多 {c.get('max_length')} 项",
    "greater_than": lambda c: f"应大于 {_number(c.get('gt'))}",
    "greater_than_equal": lambda c: f"不得小于 {_number(c.get('ge'))}",
    "less_than": lambda c: f"应小于 {_number(c.get('lt'))}",
    "less_than_equal": lambda c: f"不得大于 {_number(c.get('le'))}",
    "multiple_of": lambda c: f"应为 {_number(c.get('multiple_of'))} 的倍数",
    "literal_error": _choices,
    "enum": _choices,
    "date_parsing": DATE,
    "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": DATE,
    "date_type": DATE,
    "datetime_parsing": DATETIME,
    "datetime_from_date_parsing": DATETIME,
    "datetime_type": DATETIME,
    "time_parsing": TIME,
    "time_type": TIME,
    "uuid_parsing": "应为 UUID",
    "uuid_type": "应为 UUID",
    "url_parsing": "应为网址",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "set_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "dataclass_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "json_type": "应为 JSON 文本",
    "none_required": "应为空",
    "bytes_type": "应为文本",
}


def message_for(error: Mapping[str, Any]) -> str:
    """The Chinese message for one pydantic error; our own validators may already speak Chinese."""
    kind = str(error.get("type", ""))
    rule = MESSAGES.get(kind)
    if callable(rule):
        return rule(error.get("ctx") or {})
    if rule is not None:
        return rule
    if kind in {"value_error", "assertion_error"}:
        text = str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            return text
    return GENERIC


def field_for(error: Mapping[str, Any]) -> str:
    """The field an error is about: the last name in its ``loc`` (list positions skipped)."""
    loc = list(error.get("loc") or ())
    # ninja's loc starts with where the value came from and, for a body, the parameter's name:
    # ("path", "unit_id"), ("query", "limit"), ("body", "payload", "phone").
    rest = loc[2:] if loc[:1] == ["body"] else loc[1:]
    names = [str(p) for p in rest if isinstance(p, str)]
    return names[-1] if names else WHOLE


def refusal(errors: Mapping[str, Iterable[str]], *, name_fields: bool = False) -> dict[str, Any]:
    """The 422 body: the messages field by field and a one-line summary in `detail`.

    Services' messages already name their field in Chinese ("电话：只能填写数字"); pydantic's are
    named here by the field's API name (``name_fields``).
    """
    listed = {field: [str(m) for m in messages] for field, messages in errors.items()}
    parts = [
        f"{field} {m}" if name_fields and field != WHOLE else m
        for field, messages in listed.items()
        for m in messages
    ]
    detail = "；".join(parts) if parts else INVALID
    if name_fields:
        detail = f"{INVALID}：{detail}"
    return {"detail": detail, "errors": listed}


def pydantic_refusal(errors: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    found: dict[str, list[str]] = {}
    for error in errors:
        field = field_for(error)
        message = message_for(error)
        if field == WHOLE and error.get("type") == "missing":
            message = "缺少请求体（JSON 对象）"
        elif field == WHOLE and message == "应为对象":
            message = "请求体应为 JSON 对象"
        messages = found.setdefault(field, [])
        if message not in messages:
            messages.append(message)
    return refusal(found, name_fields=True)


def django_refusal(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return refusal(exc.message_dict)
    return refusal({WHOLE: exc.messages})


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api` (the project's one NinjaAPI, see `api/urls.py`)."""

    def answer(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return answer(request, {"detail": UNAUTHENTICATED}, 401)

    @api.exception_handler(NinjaValidationError)
    def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return answer(request, pydantic_refusal(exc.errors), 422)

    @api.exception_handler(DjangoValidationError)
    def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return answer(request, django_refusal(exc), 422)

    @api.exception_handler(StaleEdit)
    def _stale(request: HttpRequest, exc: StaleEdit) -> HttpResponse:
        return answer(request, {"detail": " ".join(exc.messages)}, 409)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return answer(request, {"detail": str(exc) or FORBIDDEN}, 403)

    @api.exception_handler(Http404)
    @api.exception_handler(ObjectDoesNotExist)
    def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return answer(request, {"detail": NOT_FOUND}, 404)

    @api.exception_handler(Throttled)
    def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return answer(request, {"detail": THROTTLED}, 429)

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own refusals are in English: a body it cannot parse, a failed CSRF check.
        if exc.status_code == 400 and exc.message.startswith("Cannot parse request body"):
            return answer(request, refusal({WHOLE: [NOT_JSON]}), 422)
        if exc.status_code == 403 and exc.message.startswith("CSRF"):
            return answer(request, {"detail": CSRF_FAILED}, 403)
        return answer(request, {"detail": exc.message}, exc.status_code)
