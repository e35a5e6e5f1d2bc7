"""WebSocket /ws/events: live events for the signed-in user, with no-loss resume.

Connect with ``?after=<cursor>&have=<ids>`` to resume (see delivery.py); without them the
stream starts now. Messages sent to the client:
  {"type": "hello", "cursor": C}                      on connect
  {"type": "event", "event": {...}, "cursor": C}      for every event
  {"type": "heartbeat", "cursor": C}                  every AIRCOP_WS_HEARTBEAT_SECONDS (25), through NAT
The consumer delivers pushes from the channel layer at once, and every AIRCOP_WS_RECONCILE_SECONDS (10)
it also reads the database for anything a push did not bring (a broker restart, a
message dropped under load), so that nothing is lost and nothing is sent twice."""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import parse_qs

from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from aircop.messaging import delivery
from aircop.messaging.events import unit_group


def database_sync_to_async(fn):
    """Channels' wrapper, but on the thread pool: Channels runs no consumer in a thread-sensitive
    context of its own, so the default would put every socket's queries on one shared thread."""
    return DatabaseSyncToAsync(fn, thread_sensitive=False)


def canonical_unit(user_units: set[int], units: list[int], nominal_units: list[int]) -> int | None:
    """Of the groups a user hears an event through, the one whose copy is delivered:
    the lowest id among their units that see nominal data, else the lowest of the others."""
    mine = user_units.intersection(units)
    if not mine:
        return None
    rich = mine.intersection(nominal_units)
    return min(rich or mine)


class EventsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=4401)
            return
        self.user = user
        self.units = set(await database_sync_to_async(user.unit_ids)())
        self.lock = asyncio.Lock()
        for unit_id in self.units:
            await self.channel_layer.group_add(unit_group(unit_id), self.channel_name)
        await self.accept()
        query = {k: v[-1] for k, v in parse_qs(self.scope.get("query_string", b"").decode("latin-1")).items()}
        after = query.get("after", "")
        if after.isdigit():
            self.cursor = delivery.Cursor(int(after), delivery.parse_have(query.get("have")))
            await self.send_json({"type": "hello", "cursor": self.cursor.position})
            await self.reconcile()
        else:
            self.cursor = delivery.Cursor(0)
            await database_sync_to_async(delivery.catch_up_position)(self.cursor)
            await self.send_json({"type": "hello", "cursor": self.cursor.position})
        self.tasks = [asyncio.create_task(self._heartbeat()), asyncio.create_task(self._reconcile_loop())]

    async def disconnect(self, code):
        for task in getattr(self, "tasks", []):
            task.cancel()
        for unit_id in getattr(self, "units", ()):
            await self.channel_layer.group_discard(unit_group(unit_id), self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
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

    async def reconcile(self):
        """Send what pushes did not bring; first check the user may still listen at all."""
        allowed, units = await database_sync_to_async(self._credentials)()
        if not allowed:
            await self.close(code=4401)
            return
        for unit_id in units - self.units:
            await self.channel_layer.group_add(unit_group(unit_id), self.channel_name)
        for unit_id in self.units - units:
            await self.channel_layer.group_discard(unit_group(unit_id), self.channel_name)
        self.units = units
        async with self.lock:
            start = self.cursor.position
            missing = await database_sync_to_async(delivery.catch_up)(self.user, self.cursor)
            # Each message carries the cursor that is true once the client holds it: everything
            # visible up to this event. Sending the cursor catch-up reached at the end with the
            # first event would let a client that drops mid-stream resume past events it never got.
            safe = start
            for event in missing:
                safe = max(safe, event["id"])
                await self.send_json(
                    {"type": "event", "event": event, "cursor": min(safe, self.cursor.position)}
                )

    def _credentials(self) -> tuple[bool, set[int]]:
        """Is the account still active and unlocked, its session or token still valid? And its
        units now: a membership removed while the socket is open stops the flow at once."""
        from django.contrib.sessions.models import Session
        from django.utils import timezone

        from aircop.accounts.models import ApiToken, User

        user = User.objects.filter(pk=self.user.pk, is_active=True, locked_at__isnull=True).first()
        if user is None:
            return False, set()
        token_id = self.scope.get("aircop_token_id")
        if token_id is not None:
            token = ApiToken.objects.filter(pk=token_id).first()
            if token is None or not token.is_valid:
                return False, set()
        else:
            session = self.scope.get("session")
            key = getattr(session, "session_key", None)
            if (
                not key
                or not Session.objects.filter(session_key=key, expire_date__gt=timezone.now()).exists()
            ):
                return False, set()
        self.user = user
        return True, set(user.unit_ids())

    async def _reconcile_loop(self):
        while True:
            await asyncio.sleep(settings.AIRCOP_WS_RECONCILE_SECONDS)
            with contextlib.suppress(Exception):  # a database hiccup: try again next round
                await self.reconcile()

    async def _heartbeat(self):
        while True:
            await asyncio.sleep(settings.AIRCOP_WS_HEARTBEAT_SECONDS)
            await self.send_json({"type": "heartbeat", "cursor": self.cursor.position})
