"""Who is acting and from where, for the audit log: set by the web middleware, the API, commands and jobs."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class ActorContext:
    user_id: int | None = None
    user_repr: str = ""
    role: str = ""
    unit_repr: str = ""
    ip: str | None = None
    request_id: str = ""
    channel: str = "system"  # web, api, cli, worker, system


_current: ContextVar[ActorContext] = ContextVar("zhaoshang_actor", default=ActorContext())  # noqa: B039


def current() -> ActorContext:
    return _current.get()


@contextlib.contextmanager
def acting(ctx: ActorContext) -> Iterator[ActorContext]:
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


def replace(ctx: ActorContext) -> None:
    """Swap the actor for the rest of the current `acting` block (the API learns it after auth)."""
    _current.set(ctx)
