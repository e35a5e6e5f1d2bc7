"""The JSON shape of alerts and events, shared by the API, the WebSocket, the long-poll and
catch-up, so that every path shows the same thing. ``nominal`` decides whether names,
documents and dates of birth are included."""

from __future__ import annotations

from aircop.messaging.models import Alert, Event


def _iso(dt):
    return dt.isoformat().replace("+00:00", "Z") if dt else None


def alert_summary(alert: Alert, *, nominal: bool) -> dict:
    unit = alert.sender_unit
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "priority": alert.priority,
        "tlp": alert.tlp,
        "title": alert.title,
        "sender_unit": unit.code,
        "sender_airport": unit.airport.iata if unit.airport_id else None,
        "destination": alert.destination.iata if alert.destination_id else None,
        "created_at": _iso(alert.created_at),
        "valid_until": _iso(alert.valid_until),
        "flagged": alert.flagged_at is not None,
        "nominal_restricted": alert.nominal_restricted,
        "nominal_withheld": alert.nominal_restricted and not nominal and bool(alert.nominal),
        "details": alert.details,
        "nominal": alert.nominal if nominal else {},
        "operation": alert.operation.name if alert.operation_id else None,
    }


def event_payload(event: Event, *, nominal: bool) -> dict:
    return {
        "id": event.pk,
        "type": event.type,
        "at": _iso(event.created_at),
        "alert": alert_summary(event.alert, nominal=nominal),
        "data": event.data,
    }
