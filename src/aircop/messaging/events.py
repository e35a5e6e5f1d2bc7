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

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from aircop.audit.services import lock_chain
from aircop.messaging.models import Alert, Event, Recipient
from aircop.messaging.rendering import event_payload

log = logging.getLogger("aircop.messaging.events")


def unit_group(unit_id: int) -> str:
    return f"unit.{unit_id}"


def publish(alert: Alert, type_: str, data: dict | None = None, *, originator_only: bool = False) -> Event:
    lock_chain()
    event = Event.objects.create(
        type=type_, alert=alert, created_at=timezone.now(), data=data or {}, originator_only=originator_only
    )
    transaction.on_commit(lambda: fan_out(event.pk), robust=True)
    return event


def audience_units(event: Event) -> tuple[list[int], list[int]]:
    """(units that hear of the event, units among them that see nominal data)."""
    alert = event.alert
    if event.originator_only:
        return [alert.sender_unit_id], [alert.sender_unit_id]
    rows = list(Recipient.objects.filter(alert=alert).values_list("unit_id", "nominal"))
    units = sorted({alert.sender_unit_id, *(u for u, _ in rows)})
    if alert.nominal_restricted:
        nominal_units = sorted({alert.sender_unit_id, *(u for u, n in rows if n)})
    else:
        nominal_units = units
    return units, nominal_units


def fan_out(event_id: int) -> None:
    event = Event.objects.select_related(
        "alert", "alert__sender_unit", "alert__sender_unit__airport", "alert__destination"
    ).get(pk=event_id)
    units, nominal_units = audience_units(event)
    full = event_payload(event, nominal=True)
    reduced = event_payload(event, nominal=False) if len(nominal_units) < len(units) else full
    nominal_set = set(nominal_units)
    layer = get_channel_layer()

    async def send_all():
        for unit_id in units:
            await layer.group_send(
                unit_group(unit_id),
                {
                    "type": "aircop.event",
                    "event": full if unit_id in nominal_set else reduced,
                    "unit": unit_id,
                    "units": units,
                    "nominal_units": nominal_units,
                },
            )

    try:
        async_to_sync(send_all)()
    except Exception:  # the broker is down: clients catch up from the database on reconnect
        log.exception("could not push event %s to the channel layer", event_id)
