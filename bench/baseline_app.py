"""The baseline for bench/fanout.py: a minimal broadcast over the same channel layer AIRCOP
uses, with no database and no visibility checks.

    BENCH_REDIS_URL=redis://... uvicorn bench.baseline_app:app --lifespan off

- WebSocket /ws?units=3,17: joins the group "unit.<n>" of each unit, sends
  {"type": "hello", "cursor": 0}, then {"type": "event", "event": {...}, "cursor": id} for
  every message pushed to one of its groups, shaped like an AIRCOP alert.created event.
- POST /send {"id": n, "units": [3, 17]}: group_send of one timestamped message to each
  unit's group, then 201 {"id": n, "sent_at": t}.
- GET /healthz: 200.

Channel layer: the class and config AIRCOP's settings use (InMemoryChannelLayer with
capacity 5000 embedded; channels_redis.pubsub.RedisPubSubChannelLayer with a Redis URL)."""

from __future__ import annotations

import json
import os
import time
from urllib.parse import parse_qs

import django
from django.conf import settings

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")

if not settings.configured:
    settings.configure(
        CHANNEL_LAYERS={
            "default": (
                {
                    "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                    "CONFIG": {"hosts": [REDIS_URL]},
                }
                if REDIS_URL
                else {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 5000}}
            )
        },
        INSTALLED_APPS=["channels"],
        USE_TZ=True,
    )
    django.setup()

from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.layers import get_channel_layer  # noqa: E402
from channels.routing import ProtocolTypeRouter  # noqa: E402

# Padding shaped like AIRCOP's alert summary, so both push messages of a similar size.
ALERT_FIELDS = {
    "kind": "general",
    "priority": "routine",
    "tlp": "green",
    "title": "bench alert",
    "sender_unit": "jaitf-xxx",
    "sender_airport": "XXX",
    "destination": None,
    "created_at": "2026-01-01T00:00:00.000000Z",
    "valid_until": None,
    "flagged": False,
    "nominal_restricted": False,
    "nominal_withheld": False,
    "details": {},
    "nominal": {},
}


def group(unit: int) -> str:
    return f"unit.{unit}"


class BroadcastConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        query = parse_qs(self.scope.get("query_string", b"").decode())
        self.units = [int(u) for u in ",".join(query.get("units", [])).split(",") if u.strip().isdigit()]
        for unit in self.units:
            await self.channel_layer.group_add(group(unit), self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "cursor": 0})

    async def disconnect(self, code):
        for unit in getattr(self, "units", ()):
            await self.channel_layer.group_discard(group(unit), self.channel_name)

    async def bench_event(self, message):
        event = message["event"]
        await self.send_json({"type": "event", "event": event, "cursor": event["id"]})


async def _read_body(receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def _respond(send, status: int, payload) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def http_app(scope, receive, send):
    if scope["path"] == "/healthz":
        await _read_body(receive)
        await _respond(send, 200, {"ok": True})
        return
    if scope["path"] != "/send" or scope["method"] != "POST":
        await _read_body(receive)
        await _respond(send, 404, {"detail": "not found"})
        return
    request = json.loads(await _read_body(receive) or b"{}")
    sent_at = time.time()
    event = {
        "id": request["id"],
        "type": "alert.created",
        "at": sent_at,
        "alert": {"id": request["id"], **ALERT_FIELDS},
        "data": {},
    }
    layer = get_channel_layer()
    for unit in request["units"]:
        await layer.group_send(group(unit), {"type": "bench.event", "event": event})
    await _respond(send, 201, {"id": request["id"], "sent_at": sent_at})


app = ProtocolTypeRouter({"http": http_app, "websocket": BroadcastConsumer.as_asgi()})
