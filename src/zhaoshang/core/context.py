"""Who is acting and from where, for the audit log: set by the web middleware, the API, commands and jobs."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


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


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,32}$")


def request_id_from(header: str) -> str:
    """A proxy's request id is kept when it looks like one; anything else gets a fresh id."""
    return header if _REQUEST_ID.match(header) else new_request_id()


def client_ip(meta: dict[str, Any]) -> str | None:
    """The client's address. Behind N trusted proxies (ZHAOSHANG_PROXY_COUNT) it is the N-th
    address from the right of X-Forwarded-For; the leftmost entries are whatever the client sent."""
    from django.conf import settings

    count = settings.ZHAOSHANG_PROXY_COUNT
    if count:
        hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            return hops[-count]
    return meta.get("REMOTE_ADDR")


def replace(ctx: ActorContext) -> None:
    """Swap the actor for the rest of the current `acting` block (the API learns it after auth)."""
    _current.set(ctx)


def request_client_ip(request: Any) -> str | None:
    """The same address for the lockout (django-axes) as for the audit log."""
    return client_ip(request.META)
