"""Catch-up from the database, shared by the WebSocket consumer and the long-poll API.

Event ids commit in increasing order (events.py), so a query for "visible events after N"
returns a gap-free prefix: once it has run, everything up to the highest id it saw — or up
to the newest id in the table, read just before — has been accounted for. That number is
the client's *cursor*; a client resumes with ``after=<cursor>`` plus the ids above the
cursor it already holds (``have``), and receives exactly what it lacks."""

from __future__ import annotations

from dataclasses import dataclass, field

from aircop.messaging import selectors
from aircop.messaging.models import Alert, Event
from aircop.messaging.rendering import event_payload

BATCH = 500


@dataclass
class Cursor:
    position: int
    have: set[int] = field(default_factory=set)

    def advance(self, position: int) -> None:
        if position > self.position:
            self.position = position
            self.have = {i for i in self.have if i > position}

    def wants(self, event_id: int) -> bool:
        return event_id > self.position and event_id not in self.have


def parse_have(raw: str | None, limit: int = 1000) -> set[int]:
    if not raw:
        return set()
    out = set()
    for part in raw.split(",")[:limit]:
        part = part.strip()
        if part.isdigit():
            out.add(int(part))
    return out


def _nominal_alerts(user, events: list[Event]) -> set[int]:
    """Ids of the alerts among ``events`` whose nominal data this user may see."""
    ids = {e.alert_id for e in events}
    return set(
        Alert.objects.filter(selectors.nominal_visible_q(user), pk__in=ids).values_list("pk", flat=True)
    )


def newest_event_id() -> int:
    """The newest event id in the table, whoever may see it: the end of a gap-free prefix."""
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def catch_up_position(cursor: Cursor) -> None:
    """Move a fresh cursor to now: the newest event id."""
    cursor.advance(newest_event_id())


def payloads(user, ids: list[int]) -> list[dict]:
    """The events among ``ids`` that ``user`` may see, rendered for them, in id order."""
    events = list(selectors.events_by_id(user, ids))
    nominal = _nominal_alerts(user, events)
    return [event_payload(event, nominal=event.alert_id in nominal) for event in events]


def catch_up(user, cursor: Cursor) -> list[dict]:
    """Every visible event after the cursor that the client lacks, in id order; moves the cursor."""
    newest = newest_event_id()
    out: list[dict] = []
    while True:
        batch = list(selectors.events_after(user, cursor.position, upto=newest, limit=BATCH))
        if not batch:
            break
        nominal = _nominal_alerts(user, batch)
        for event in batch:
            if cursor.wants(event.pk):
                out.append(event_payload(event, nominal=event.alert_id in nominal))
        cursor.advance(batch[-1].pk)
        if len(batch) < BATCH:
            break
    cursor.advance(newest)
    return out
