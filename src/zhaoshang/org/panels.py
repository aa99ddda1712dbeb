"""Boxes that apps above org add to a person's page (org cannot import them): the enterprise
registry adds "所属企业". Each provider returns a `Panel` for the viewer, or None to show nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zhaoshang.core.http import Request
from zhaoshang.org.models import User


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


USER_PANELS: list[Callable[[Request, User], Panel | None]] = []


def user_panels(request: Request, person: User) -> list[Panel]:
    return [panel for provider in USER_PANELS if (panel := provider(request, person)) is not None]
