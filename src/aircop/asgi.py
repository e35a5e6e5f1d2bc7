"""ASGI entry point: HTTP through Django, WebSocket /ws/events through Channels."""

import asyncio
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aircop.settings")

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from aircop.accounts.ws_auth import WebSocketAuthStack  # noqa: E402
from aircop.messaging.events import pusher  # noqa: E402
from aircop.messaging.routing import websocket_urlpatterns  # noqa: E402


class SameSiteOriginValidator(OriginValidator):
    """Browsers always send Origin: it must be one of our hosts (no cross-site WebSocket
    hijacking with the session cookie). Programs send none and authenticate with a token."""

    def valid_origin(self, parsed_origin):
        return parsed_origin is None or super().valid_origin(parsed_origin)


routes = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameSiteOriginValidator(
            WebSocketAuthStack(URLRouter(websocket_urlpatterns)), settings.ALLOWED_HOSTS
        ),
    }
)


async def application(scope, receive, send):
    """The routes, plus the ASGI lifespan: in the embedded mode `aircop serve` asks for the
    periodic jobs to run inside this event loop (AIRCOP_SERVER_RUNS_JOBS)."""
    if scope["type"] != "lifespan":
        pusher.attach(asyncio.get_running_loop())  # events committed in threads push from here
        return await routes(scope, receive, send)

    from aircop import worker

    task = None
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            pusher.attach(asyncio.get_running_loop())
            if os.environ.get("AIRCOP_SERVER_RUNS_JOBS") == "1":
                task = asyncio.create_task(worker.run_in_event_loop())
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if task is not None:
                task.cancel()
            await send({"type": "lifespan.shutdown.complete"})
            return
