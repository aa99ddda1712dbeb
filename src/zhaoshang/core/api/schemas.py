"""Schemas shared by every app's API: the refusals, and the base of request bodies."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import ConfigDict, model_validator
from pydantic_core import PydanticCustomError


class Error(Schema):
    """A refusal without fields: 401, 403, 404."""

    model_config = ConfigDict(json_schema_extra={"example": {"detail": "记录不存在，或不在您的权限范围内。"}})

    detail: str


class Refusal(Schema):
    """A refused input (422): one line for people, and the messages by field for programs.

    ``errors`` maps the field's API name (``"__all__"`` when the refusal names no field, e.g. a body
    that is not JSON) to its Chinese messages.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "example": {"detail": "输入有误：unit_id 应为整数", "errors": {"unit_id": ["应为整数"]}}
        }
    )

    detail: str
    errors: dict[str, list[str]]


class Input(Schema):
    """Base of request bodies: the body must be a JSON object.

    ninja's `Schema` reads attributes from any object, so a body of ``[1]`` or ``"x"`` would pass
    as "no fields given"; an input refuses it like any other malformed value.
    """

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        given = value._obj if isinstance(value, DjangoGetter) else value
        if not isinstance(given, dict | Schema):
            raise PydanticCustomError("model_type", "Input should be an object")
        return value
