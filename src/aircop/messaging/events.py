"""Events: written in the same transaction as the change they announce, pushed to the
channel layer only after that transaction commits.

Ordering: an event row is inserted while the audit chain's lock is held (every service
audits first), so event ids become visible in increasing order and a client that resumes
"after id N" cannot miss a smaller id that commits later.

Fan-out: one group per unit ("unit.<id>"). A user in several units subscribes to each; the
message names every unit it went to, and a consumer delivers it from one group only (see
consumers.canonical_unit: the richest copy, by the lowest unit id), so nothing arrives twice
and nobody gets the copy without nominal data when one of their units may see it."""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from aircop.audit.services import lock_chain
from aircop.core import metrics
from aircop.messaging.models import Alert, Event, Recipient
from aircop.messaging.rendering import event_payload

log = logging.getLogger("aircop.messaging.events")


def unit_group(unit_id: int) -> str:
    return f"unit.{unit_id}"


def publish(
    alert: Alert,
    type_: str,
    data: dict | None = None,
    *,
    originator_only: bool = False,
    recipients: list[Recipient] | None = None,
) -> Event:
    """``recipients``: every recipient row of the alert, when the caller has just created them
    (saves reading them again after the commit)."""
    lock_chain()
    event = Event.objects.create(
        type=type_, alert=alert, created_at=timezone.now(), data=data or {}, originator_only=originator_only
    )
    if recipients is None:
        transaction.on_commit(lambda: fan_out(event.pk), robust=True)
    else:
        rows = [(r.unit_id, r.nominal) for r in recipients]
        transaction.on_commit(lambda: fan_out(event.pk, event=event, rows=rows), robust=True)
    return event


def audience_units(event: Event, rows: list[tuple[int, bool]] | None = None) -> tuple[list[int], list[int]]:
    """(units that hear of the event, units among them that see nominal data). ``rows``: the
    alert's recipients as (unit id, named directly), read from the database when not given."""
    alert = event.alert
    if event.originator_only:
        return [alert.sender_unit_id], [alert.sender_unit_id]
    if rows is None:
        rows = list(Recipient.objects.filter(alert=alert).values_list("unit_id", "nominal"))
    units = sorted({alert.sender_unit_id, *(u for u, _ in rows)})
    if alert.nominal_restricted:
        nominal_units = sorted({alert.sender_unit_id, *(u for u, n in rows if n)})
    else:
        nominal_units = units
    return units, nominal_units


def fan_out(event_id: int, *, event: Event | None = None, rows: list[tuple[int, bool]] | None = None) -> None:
    """Push a committed event to the groups of its units. Runs in the thread that committed;
    inside a server it hands the pushes to the server's event loop and returns at once
    (Pusher), elsewhere (a command, a test without a server) it sends them itself. ``event``
    and ``rows``: the committed event and its recipients, when the caller still holds them."""
    if event is None:
        event = Event.objects.select_related(
            "alert",
            "alert__sender_unit",
            "alert__sender_unit__airport",
            "alert__destination",
            "alert__operation",
        ).get(pk=event_id)
    units, nominal_units = audience_units(event, rows)
    full = event_payload(event, nominal=True)
    reduced = event_payload(event, nominal=False) if len(nominal_units) < len(units) else full
    nominal_set = set(nominal_units)
    messages = [
        (
            unit_group(unit_id),
            {
                "type": "aircop.event",
                "event": full if unit_id in nominal_set else reduced,
                "unit": unit_id,
                "units": units,
                "nominal_units": nominal_units,
            },
        )
        for unit_id in units
    ]
    if pusher.submit(event_id, messages):
        return

    async def send_all():
        layer = get_channel_layer()
        for group, message in messages:
            await layer.group_send(group, message)

    try:
        async_to_sync(send_all)()
    except Exception:  # the broker is down: clients catch up from the database on reconnect
        log.exception("could not push event %s to the channel layer", event_id)


class Pusher:
    """The server process's queue of pushes, drained in commit order by one task on its event
    loop. The request that committed the event does not wait for the channel layer: under
    load, a loop busy with hundreds of sockets made every POST wait its turn. A push that
    fails is logged; the sockets get the event from the database at the next reconciliation."""

    def __init__(self):
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queue: asyncio.Queue | None = None
        self.task: asyncio.Task | None = None

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Called on the server's loop (asgi.application) before any request is handled."""
        if self.loop is not loop:
            self.loop, self.queue, self.task = loop, asyncio.Queue(), None

    def submit(self, event_id: int, messages: list) -> bool:
        loop = self.loop
        if loop is None or loop.is_closed() or not loop.is_running():
            return False
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False  # a worker thread: the normal case
        if on_loop:
            self._enqueue(event_id, messages)
        else:
            loop.call_soon_threadsafe(self._enqueue, event_id, messages)
        return True

    def _enqueue(self, event_id: int, messages: list) -> None:
        self.queue.put_nowait((event_id, messages))
        if self.task is None or self.task.done():
            self.task = self.loop.create_task(self._drain())

    async def _drain(self) -> None:
        layer = get_channel_layer()
        while True:
            event_id, messages = await self.queue.get()
            try:
                for group, message in messages:
                    await layer.group_send(group, message)
                metrics.EVENTS_PUSHED.labels("sent").inc()
            except Exception:
                metrics.EVENTS_PUSHED.labels("failed").inc()
                log.exception("could not push event %s to the channel layer", event_id)


pusher = Pusher()
