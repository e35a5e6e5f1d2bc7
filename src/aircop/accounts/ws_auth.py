"""WebSocket authentication: the browser's session cookie (Channels' AuthMiddleware), or
`Authorization: Bearer <token>` for programs, checked and audited like an API call."""

from __future__ import annotations

from channels.auth import AuthMiddlewareStack
from channels.db import DatabaseSyncToAsync
from channels.middleware import BaseMiddleware

from aircop.accounts import services
from aircop.core.context import ActorContext, acting_from


def _authenticate(raw: str, scope):
    client = scope.get("client") or (None, None)
    with acting_from(ActorContext(ip=client[0], channel="ws")):
        return services.authenticate_token_row(raw, path=scope.get("path", ""))


class BearerTokenMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", []))
        raw = headers.get(b"authorization", b"").decode("latin-1")
        if raw.lower().startswith("bearer "):
            token = await DatabaseSyncToAsync(_authenticate, thread_sensitive=False)(raw[7:].strip(), scope)
            if token is not None:
                # The consumer re-checks this token while the socket stays open.
                scope = dict(scope, user=token.user, aircop_token_id=token.pk)
            else:
                from django.contrib.auth.models import AnonymousUser

                scope = dict(scope, user=AnonymousUser())
        return await super().__call__(scope, receive, send)


def WebSocketAuthStack(inner):  # noqa: N802 - named like Channels' stacks
    """Session first; a bearer token, when present, decides instead."""
    return AuthMiddlewareStack(BearerTokenMiddleware(inner))
