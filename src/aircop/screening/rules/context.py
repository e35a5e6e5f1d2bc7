"""The evaluation context of one traveller: a plain dict from field name (rules/fields.py) to
value, built from passenger records already loaded (docs/risk-rules.md, "Fields").

``context_for`` makes no database query. The caller loads the flight, the booking and the
travel documents first (``select_related("booking")``, ``prefetch_related("documents")``): a
booking or documents not passed are taken from the traveller only when Django has them cached
already. Every field of the catalogue is a key of the result; a value that is unknown is None.

Where the values come from:

- ``flight.*``: the Flight row; countries and the great-circle distance from the airports'
  positions in airportsdata (read once per process by ``network.reference``).
- ``route.*``: the traveller's journey, from the booking's itinerary (Booking.data
  ["itinerary"], the PNR's legs without cancelled ones) when there is one, else from the
  traveller's embarkation, transit and debarkation airports (API data), else from the flight.
  Countries are ISO 3166 **alpha-3**, like nationalities.
- ``booking.*``: the Booking row and what the PNR reader stored in Booking.data (itinerary,
  payments, travel agency, bags). A masked booking has lost its payments and agency: those
  fields are then unknown.
- ``traveller.*`` and ``document.*``: the Traveller and its TravelDocument rows; the document
  is the first one (by position) that is not a visa."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Any

from aircop.network import reference
from aircop.passengers.parsers.model import to_alpha3
from aircop.screening.rules.fields import FIELDS

LONG_HAUL_KM = 4000
EARTH_RADIUS_KM = 6371.0088
# Itinerary legs with these statuses are not flown (cancelled, unable, no action taken).
CANCELLED = frozenset({"XX", "HX", "UN", "UC", "NO", "XL"})
VISA = "V"


def context_for(traveller, flight, booking=None, documents=()) -> dict[str, Any]:
    """The context of ``traveller`` on ``flight`` (model instances, saved or not)."""
    ctx: dict[str, Any] = dict.fromkeys(FIELDS)
    day = flight.departure_date or (flight.scheduled_departure.date() if flight.scheduled_departure else None)
    if booking is None:
        booking = _cached(traveller, "booking")
    documents = list(documents) or list(
        getattr(traveller, "_prefetched_objects_cache", {}).get("documents", [])
    )
    _flight(ctx, flight, day)
    legs = _itinerary(booking)
    _route(ctx, traveller, flight, legs)
    if booking is not None:
        _booking(ctx, booking, flight, legs)
    _traveller(ctx, traveller, day)
    _document(ctx, documents, day)
    return ctx


# ----------------------------------------------------------------------------- helpers
def _cached(instance, name: str):
    """A related object Django already holds for ``instance``, never a query."""
    descriptor = getattr(type(instance), name, None)
    if descriptor is not None and hasattr(descriptor, "is_cached") and descriptor.is_cached(instance):
        return getattr(instance, name)
    return None


def _code(value) -> str | None:
    value = (value or "").strip().upper() if isinstance(value, str) else None
    return value or None


def airport_country(iata: str | None) -> str | None:
    """ISO alpha-3 country of an IATA airport, or None when unknown."""
    record = reference.airport_record(iata or "")
    return to_alpha3(record.get("country")) if record else None


def distance_km(a: str | None, b: str | None) -> float | None:
    """Great-circle (haversine) distance between two IATA airports, None when one is unknown."""
    ra, rb = reference.airport_record(a or ""), reference.airport_record(b or "")
    if not ra or not rb:
        return None
    try:
        lat1, lon1, lat2, lon2 = (
            math.radians(float(x)) for x in (ra["lat"], ra["lon"], rb["lat"], rb["lon"])
        )
    except (KeyError, TypeError, ValueError):
        return None
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _moment(value) -> datetime | None:
    """An ISO time as stored in Booking.data (local time with offset), as an aware instant; a
    time without offset (airport unknown) is taken as UTC, as storage does."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _dedupe_consecutive(codes: list[str]) -> list[str]:
    out: list[str] = []
    for code in codes:
        if code and (not out or out[-1] != code):
            out.append(code)
    return out


# ----------------------------------------------------------------------------- flight
def _flight(ctx: dict, flight, day: date | None) -> None:
    dep, arr = _code(flight.departure_airport), _code(flight.arrival_airport)
    ctx["flight.carrier"] = _code(flight.carrier)
    ctx["flight.departure_airport"] = dep
    ctx["flight.arrival_airport"] = arr
    ctx["flight.departure_country"] = airport_country(dep)
    ctx["flight.arrival_country"] = airport_country(arr)
    ctx["flight.departure_date"] = day
    km = distance_km(dep, arr)
    if km is not None:
        ctx["flight.distance_km"] = round(km)
        ctx["flight.long_haul"] = km > LONG_HAUL_KM


# ----------------------------------------------------------------------------- route
def _itinerary(booking) -> list[dict]:
    """The booking's legs that are flown, in time order when every leg has a time."""
    if booking is None or not isinstance(booking.data, dict):
        return []
    legs = [
        leg
        for leg in booking.data.get("itinerary") or []
        if isinstance(leg, dict)
        and _code(leg.get("departure_airport"))
        and _code(leg.get("arrival_airport"))
        and _code(leg.get("status")) not in CANCELLED
    ]
    times = [_moment(leg.get("scheduled_departure")) for leg in legs]
    if legs and all(times):
        legs = [leg for _, _, leg in sorted(zip(times, range(len(legs)), legs, strict=True))]
    return legs


def _route(ctx: dict, traveller, flight, legs: list[dict]) -> None:
    if legs:
        codes: list[str] = []
        for leg in legs:
            codes += [_code(leg["departure_airport"]), _code(leg["arrival_airport"])]
    elif _code(traveller.embarkation) or _code(traveller.debarkation):
        codes = [
            _code(traveller.embarkation) or _code(flight.departure_airport),
            *(_code(t) for t in traveller.transit or [] if isinstance(t, str)),
            _code(traveller.debarkation) or _code(flight.arrival_airport),
        ]
    else:
        flown = [leg for leg in flight.legs or [] if isinstance(leg, dict)]
        codes = [_code(flight.departure_airport)] + [_code(leg.get("arrival_airport")) for leg in flown]
        codes.append(_code(flight.arrival_airport))
    airports = _dedupe_consecutive([c for c in codes if c])
    if not airports:
        return
    countries = [airport_country(a) for a in airports]
    ctx["route.airports"] = airports
    ctx["route.countries"] = list(dict.fromkeys(c for c in countries if c))
    ctx["route.origin_airport"] = airports[0]
    ctx["route.origin_country"] = countries[0]
    destination = _trip(legs)[1] if legs else airports[-1]
    ctx["route.destination_airport"] = destination
    ctx["route.destination_country"] = airport_country(destination)


def _place(iata: str) -> str:
    """What "back where the journey started" compares: the country, or the airport when its
    country is unknown."""
    return airport_country(iata) or iata


def _trip(legs: list[dict]) -> tuple[bool, str, float | None]:
    """(one way, destination airport, days of stay) of an itinerary. The return is the first
    leg that arrives in the country of origin after the journey has left it; the destination is
    where the longest stop before it was made (the farthest airport when times are missing)."""
    origin = _code(legs[0]["departure_airport"])
    home = _place(origin)
    left, back = False, None
    for i, leg in enumerate(legs):
        if _place(_code(leg["arrival_airport"])) != home:
            left = True
        elif left:
            back = i
            break
    if back is None:
        return True, _code(legs[-1]["arrival_airport"]), None
    gaps: list[float | None] = []
    for i in range(back):
        arrived, leaves = (
            _moment(legs[i].get("scheduled_arrival")),
            _moment(legs[i + 1].get("scheduled_departure")),
        )
        gaps.append((leaves - arrived).total_seconds() / 86400 if arrived and leaves else None)
    if all(g is not None for g in gaps):
        stop = max(range(back), key=lambda i: gaps[i])
    else:
        stop = max(range(back), key=lambda i: distance_km(origin, _code(legs[i]["arrival_airport"])) or 0)
    stay = gaps[stop]
    return False, _code(legs[stop]["arrival_airport"]), round(stay, 1) if stay is not None else None


# ----------------------------------------------------------------------------- booking
def _booking(ctx: dict, booking, flight, legs: list[dict]) -> None:
    data = booking.data if isinstance(booking.data, dict) else {}
    booked = booking.booked_at or _moment(data.get("created_at"))
    departs = flight.scheduled_departure
    if booked and departs:
        ctx["booking.hours_before_departure"] = round((departs - booked).total_seconds() / 3600, 1)
    if legs:
        one_way, _destination, stay = _trip(legs)
        ctx["booking.one_way"] = one_way
        ctx["booking.stay_days"] = stay
    payments = [p for p in data.get("payments") or [] if isinstance(p, dict)]
    if payments:
        ctx["booking.paid_cash"] = any(p.get("kind") == "cash" for p in payments)
    agency = data.get("travel_agency")
    if isinstance(agency, dict):
        ctx["booking.travel_agency"] = agency.get("code") or agency.get("name") or None
        ctx["booking.agency_country"] = to_alpha3(agency.get("country"))
    bags = data.get("bags")
    if isinstance(bags, list):  # a PNR that lists no bag: none checked (yet)
        ctx["booking.checked_bags"] = sum(
            (b.get("count") or (1 if b.get("tag") else 0))
            for b in bags
            if isinstance(b, dict) and not b.get("excess")
        )


# ----------------------------------------------------------------------------- traveller
def _age(born: date | None, day: date | None) -> int | None:
    if not born or not day:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _traveller(ctx: dict, traveller, day: date | None) -> None:
    ctx["traveller.checked_bags"] = len(traveller.bag_tags or [])
    ctx["traveller.in_transit"] = bool(traveller.in_transit)
    ctx["traveller.nationality"] = _code(traveller.nationality)
    ctx["traveller.sex"] = _code(traveller.sex)
    ctx["traveller.age"] = _age(traveller.date_of_birth, day)
    ctx["traveller.date_of_birth"] = traveller.date_of_birth
    ctx["traveller.place_of_birth"] = (traveller.place_of_birth or "").strip() or None
    ctx["traveller.residence_country"] = _code(traveller.residence_country)


def _document(ctx: dict, documents: list, day: date | None) -> None:
    if not documents:
        return
    ordered = sorted(documents, key=lambda d: d.position or 0)
    doc = next((d for d in ordered if _code(d.type) != VISA), ordered[0])
    ctx["document.type"] = _code(doc.type)
    ctx["document.issuing_country"] = _code(doc.issuing_country)
    ctx["document.expiry_date"] = doc.expiry_date
    if doc.expiry_date and day:
        ctx["document.expires_in_days"] = (doc.expiry_date - day).days
    if doc.issue_date and day:
        ctx["document.days_since_issue"] = (day - doc.issue_date).days
