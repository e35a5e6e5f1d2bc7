"""Every read of passenger data (docs/handling.md, "Passenger data").

Passenger data belongs to the task force of each airport the flight touches (departure,
stops, arrival) and to the national headquarters of each country those airports are in.
Nobody else sees it: not the programme's analysts or administrators, not liaison officers,
not airlines (an airline sees the receipts of what it sent, which hold no passenger data).
Every read of travellers is audited (``passengers.read``) with what was read, never the data.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Count, Exists, OuterRef, Q

from aircop.audit.services import record
from aircop.core.visibility import get_visible_or_404, register, visible_to
from aircop.network.models import Unit, UnitKind
from aircop.passengers.models import (
    Booking,
    Flight,
    FlightStop,
    ReceivedMessage,
    TravelDocument,
    Traveller,
)


def reach(user) -> tuple[set[str], set[str]]:
    """(IATA codes of the user's task forces' airports, ISO alpha-2 of their national HQs)."""
    cache = getattr(user, "_passenger_reach", None)
    if cache is None:
        airports, countries = set(), set()
        units = Unit.objects.filter(pk__in=user.unit_ids(), is_active=True).select_related("airport")
        for unit in units:
            if unit.kind == UnitKind.JAITF and unit.airport_id:
                airports.add(unit.airport.iata)
            elif unit.kind == UnitKind.NATIONAL_HQ:
                countries.add(unit.country_id)
        cache = (airports, countries)
        user._passenger_reach = cache
    return cache


def _stop_q(user) -> Q | None:
    airports, countries = reach(user)
    if not airports and not countries:
        return None
    q = Q()
    if airports:
        q |= Q(iata__in=sorted(airports))
    if countries:
        q |= Q(country__in=sorted(countries))
    return q


def _visible_flights_q(user, outer: str = "pk") -> Q | None:
    """Rows whose flight (``outer``: the flight id's path) touches the user's reach."""
    q = _stop_q(user)
    if q is None:
        return None
    return Q(Exists(FlightStop.objects.filter(q, flight_id=OuterRef(outer))))


@register(Flight)
def _flights_policy(qs, user):
    q = _visible_flights_q(user)
    return qs.none() if q is None else qs.filter(q)


@register(FlightStop)
def _stops_policy(qs, user):
    return qs.filter(flight__in=_flights_policy(Flight.objects.all(), user))


@register(Traveller)
def _travellers_policy(qs, user):
    q = _visible_flights_q(user, "flight_id")
    return qs.none() if q is None else qs.filter(q)


@register(TravelDocument)
def _documents_policy(qs, user):
    q = _visible_flights_q(user, "traveller__flight_id")
    return qs.none() if q is None else qs.filter(q)


@register(Booking)
def _bookings_policy(qs, user):
    q = _visible_flights_q(user, "flight_id")
    return qs.none() if q is None else qs.filter(q)


@register(ReceivedMessage)
def _messages_policy(qs, user):
    # Receipts hold no passenger data: the sender sees its own, the units those of their flights.
    q = Q(received_by=user)
    flights = _flights_policy(Flight.objects.all(), user)
    return qs.filter(q | Q(flights__in=flights)).distinct()


def flights(
    user,
    *,
    airport: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    direction: str = "all",
):
    """Flights the user may see, with traveller counts: touching ``airport`` (inbound: arriving
    there, outbound: leaving it), departing or arriving in [start, end)."""
    qs = visible_to(Flight, user)
    if airport:
        if direction == "inbound":
            qs = qs.filter(arrival_airport=airport)
        elif direction == "outbound":
            qs = qs.filter(departure_airport=airport)
        else:
            qs = qs.filter(Exists(FlightStop.objects.filter(flight_id=OuterRef("pk"), iata=airport)))
    if start and end:
        qs = qs.filter(
            Q(scheduled_departure__gte=start, scheduled_departure__lt=end)
            | Q(scheduled_arrival__gte=start, scheduled_arrival__lt=end)
        )
    return qs.annotate(traveller_count=Count("travellers")).order_by(
        "scheduled_departure", "carrier", "number"
    )


def utc_day(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


def local_day(day: date, tz_name: str | None) -> tuple[datetime, datetime]:
    """The airport's local calendar day as UTC instants."""
    try:
        tz = ZoneInfo(tz_name) if tz_name else UTC
    except ZoneInfoNotFoundError:
        tz = UTC
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def airports_in_reach(user) -> list[str]:
    """IATA codes the user may look at: their task forces' airports, then the airports of their
    national headquarters' countries that have flights."""
    airports, countries = reach(user)
    more = set()
    if countries:
        more = set(
            visible_to(FlightStop, user)
            .filter(country__in=sorted(countries))
            .values_list("iata", flat=True)
            .distinct()
        )
    return sorted(airports) + sorted(more - airports)


def flight(user, flight_id: int) -> Flight:
    return get_visible_or_404(Flight, user, pk=flight_id)


def manifest(user, flight: Flight, *, via: str) -> list[Traveller]:
    """The flight's travellers with their documents: an audited read."""
    rows = list(
        visible_to(Traveller, user)
        .filter(flight=flight)
        .prefetch_related("documents")
        .select_related("booking")
        .order_by("source", "type", "surname", "given_names", "id")
    )
    record(
        user,
        "passengers.read",
        flight,
        data={"via": via, "travellers": len(rows), "flight": str(flight)},
    )
    return rows


def bookings(user, flight: Flight, *, via: str) -> list[Booking]:
    rows = list(visible_to(Booking, user).filter(flight=flight).order_by("record_locator"))
    if rows:
        record(user, "passengers.read_bookings", flight, data={"via": via, "bookings": len(rows)})
    return rows


def messages(user):
    return visible_to(ReceivedMessage, user).order_by("-received_at", "-id")
