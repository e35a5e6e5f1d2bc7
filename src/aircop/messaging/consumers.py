"""WebSocket /ws/events: live events for the signed-in user, with no-loss resume.

Connect with ``?after=<cursor>&have=<ids>`` to resume (see delivery.py); without them the
stream starts now. Messages sent to the client:
  {"type": "hello", "cursor": C}                      on connect
  {"type": "event", "event": {...}, "cursor": C}      for every event
  {"type": "heartbeat", "cursor": C}                  every AIRCOP_WS_HEARTBEAT_SECONDS (25), through NAT
The consumer delivers pushes from the channel layer at once; the process's reconciler
(reconcile.py) sends what a push did not bring (a broker restart, a message dropped under
load) every AIRCOP_WS_RECONCILE_SECONDS (10), so that nothing is lost and nothing is sent twice."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError, connection

from aircop.core import metrics
from aircop.messaging import delivery, reconcile
from aircop.messaging.events import unit_group


def database_sync_to_async(fn):
    """Run ``fn`` on the thread pool, keeping each pool thread's database connection open.

    Channels' own wrapper runs on the one thread-sensitive thread of the process (every
    socket's queries queued behind each other) and closes the connection after every call
    (a new SQLite or PostgreSQL connection for every query round of every socket). A
    connection that failed is closed so that the next call opens a fresh one."""

    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DatabaseError:
            connection.close()
            raise

    return sync_to_async(run, thread_sensitive=False)


def canonical_unit(user_units: set[int], units: list[int], nominal_units: list[int]) -> int | None:
    """Of the groups a user hears an event through, the one whose copy is delivered:
    the lowest id among their units that see nominal data, else the lowest of the others."""
    mine = user_units.intersection(units)
    if not mine:
        return None
    rich = mine.intersection(nominal_units)
    return min(rich or mine)


class EventsConsumer(AsyncJsonWebsocketConsumer):
    async def dispatch(self, message):
        """Channels' dispatch first runs close_old_connections through the one thread-sensitive
        thread of the process, for every message: with hundreds of sockets each receiving
        every push, that single thread became the bottleneck. Our handlers that touch the
        database do it through database_sync_to_async, which cleans connections itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=4401)
            return
        self.user = user
        # What the reconciler re-checks while the socket stays open.
        self.token_id = self.scope.get("aircop_token_id")
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        self.units = set(await database_sync_to_async(user.unit_ids)())
        self.lock = asyncio.Lock()
        for unit_id in self.units:
            await self.channel_layer.group_add(unit_group(unit_id), self.channel_name)
        await self.accept()
        metrics.WEBSOCKETS.inc()
        self.counted = True
        query = {k: v[-1] for k, v in parse_qs(self.scope.get("query_string", b"").decode("latin-1")).items()}
        after = query.get("after", "")
        async with self.lock:
            if after.isdigit():
                self.cursor = delivery.Cursor(int(after), delivery.parse_have(query.get("have")))
                await self.send_json({"type": "hello", "cursor": self.cursor.position})
                await self._catch_up()
            else:
                self.cursor = delivery.Cursor(0)
                await database_sync_to_async(delivery.catch_up_position)(self.cursor)
                await self.send_json({"type": "hello", "cursor": self.cursor.position})
        self.reconciler = reconcile.for_this_loop(database_sync_to_async)
        self.reconciler.add(self)
        self.tasks = [asyncio.create_task(self._heartbeat())]

    async def disconnect(self, code):
        if getattr(self, "counted", False):
            self.counted = False
            metrics.WEBSOCKETS.dec()
        if getattr(self, "reconciler", None) is not None:
            self.reconciler.discard(self)
        for task in getattr(self, "tasks", []):
            task.cancel()
        for unit_id in getattr(self, "units", ()):
            await self.channel_layer.group_discard(unit_group(unit_id), self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            async with self.lock:  # a catch-up may be moving the cursor: wait until it has sent
                await self.send_json({"type": "pong", "cursor": self.cursor.position})

    async def aircop_event(self, message):
        """A push from the channel layer (events.fan_out), delivered from one group only."""
        if canonical_unit(self.units, message["units"], message["nominal_units"]) != message["unit"]:
            return
        event = message["event"]
        async with self.lock:
            if not self.cursor.wants(event["id"]):
                return
            self.cursor.have.add(event["id"])
            await self.send_json({"type": "event", "event": event, "cursor": self.cursor.position})

    async def aircop_hits(self, message):
        """New hits in the review queue of one of the user's units (screening.events): no
        nominal data, the page fetches what the user may see."""
        if message["unit"] not in self.units:
            return
        await self.send_json(
            {
                "type": "hits",
                "unit": message["unit"],
                "count": len(message["hits"]),
                "severity": message["severity"],
            }
        )

    async def _send_caught_up(self, start: int, events: list[dict]) -> None:
        # Each message carries the cursor that is true once the client holds it: everything
        # visible up to this event. Sending the cursor catch-up reached at the end with the
        # first event would let a client that drops mid-stream resume past events it never got.
        safe = start
        for event in events:
            safe = max(safe, event["id"])
            await self.send_json({"type": "event", "event": event, "cursor": min(safe, self.cursor.position)})

    async def _catch_up(self):
        """On a resume: everything visible after the client's cursor that it lacks (caller holds the lock)."""
        start = self.cursor.position
        missing = await database_sync_to_async(delivery.catch_up)(self.user, self.cursor)
        await self._send_caught_up(start, missing)

    async def fill(self, visible_ids: list[int], newest: int) -> None:
        """From the reconciler: ``visible_ids`` are the events this socket's audience may see
        up to ``newest``; send those it lacks, then move the cursor to ``newest``."""
        async with self.lock:
            start = self.cursor.position
            missing = [i for i in visible_ids if self.cursor.wants(i)]
            events = await database_sync_to_async(delivery.payloads)(self.user, missing) if missing else []
            self.cursor.advance(newest)
            await self._send_caught_up(start, events)

    async def set_user(self, user) -> None:
        """From the reconciler's credential check: the fresh user row and their units now; a
        membership removed while the socket is open stops the flow at once."""
        units = set(user.unit_ids())
        for unit_id in units - self.units:
            await self.channel_layer.group_add(unit_group(unit_id), self.channel_name)
        for unit_id in self.units - units:
            await self.channel_layer.group_discard(unit_group(unit_id), self.channel_name)
        self.user, self.units = user, units

    async def _heartbeat(self):
        while True:
            await asyncio.sleep(settings.AIRCOP_WS_HEARTBEAT_SECONDS)
            async with self.lock:  # never announce a cursor whose catch-up is still being sent
                await self.send_json({"type": "heartbeat", "cursor": self.cursor.position})
