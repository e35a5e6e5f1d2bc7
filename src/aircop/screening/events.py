"""Hit events (docs/screening.md, "Hits"): when screening stores hits, the officers of each
unit whose queue they join hear of it at once on their open sockets (/ws/events, the channel
group of their unit). The push carries no nominal data, only how many hits and how severe;
the page then reloads its live parts from the server, which applies the visibility rules.
A push that is lost (broker down) costs nothing but the immediacy: the queue is the
database."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from aircop.messaging.events import pusher, unit_group

log = logging.getLogger("aircop.screening.events")
_RANK = {"high": 3, "medium": 2, "low": 1}


def announce_hits(by_unit: dict[int, list]) -> None:
    """After the caller's transaction commits: one push per unit with its new hits."""
    messages = []
    for unit_id, hits in sorted(by_unit.items()):
        severity = max((h.severity for h in hits), key=lambda s: _RANK.get(s, 0))
        messages.append(
            (
                unit_group(unit_id),
                {"type": "aircop.hits", "unit": unit_id, "hits": [h.pk for h in hits], "severity": severity},
            )
        )
    if messages:
        transaction.on_commit(lambda: _send(messages), robust=True)


def _send(messages: list) -> None:
    if pusher.submit("hits", messages):
        return

    async def send_all():
        layer = get_channel_layer()
        for group, message in messages:
            await layer.group_send(group, message)

    try:
        async_to_sync(send_all)()
    except Exception:  # the broker is down: the queue page shows the hits at its next load
        log.exception("could not announce hits to the channel layer")
