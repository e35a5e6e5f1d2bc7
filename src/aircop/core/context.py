"""Who is acting and from where, for the audit trail, without threading the request
through every service. Set by RequestContextMiddleware (web/API) and by the CLI."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class ActorContext:
    ip: str | None = None
    channel: str = "system"  # web, api, cli, system, ws


_SYSTEM = ActorContext()
_current: contextvars.ContextVar[ActorContext] = contextvars.ContextVar("aircop_actor", default=_SYSTEM)


def current() -> ActorContext:
    return _current.get()


@contextmanager
def acting_from(ctx: ActorContext):
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def set_for_process(ctx: ActorContext) -> None:
    """For the CLI: every write of this process comes from the command line."""
    _current.set(ctx)
