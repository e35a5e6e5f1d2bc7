"""WebSocket authentication: the browser's session cookie (Channels' AuthMiddleware), or
`Authorization: Bearer <token>` for programs, checked and audited like an API call."""

from __future__ import annotations

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware

from aircop.accounts import services


class BearerTokenMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", []))
        raw = headers.get(b"authorization", b"").decode("latin-1")
        if raw.lower().startswith("bearer "):
            user = await database_sync_to_async(services.authenticate_token)(
                raw[7:].strip(), path=scope.get("path", "")
            )
            if user is not None:
                scope = dict(scope, user=user)
            else:
                from django.contrib.auth.models import AnonymousUser

                scope = dict(scope, user=AnonymousUser())
        return await super().__call__(scope, receive, send)


def WebSocketAuthStack(inner):  # noqa: N802 - named like Channels' stacks
    """Session first; a bearer token, when present, decides instead."""
    return AuthMiddlewareStack(BearerTokenMiddleware(inner))
