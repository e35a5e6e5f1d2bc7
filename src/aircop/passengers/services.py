"""Storing advance passenger data (docs/passenger-data.md, "Ingestion").

``ingest(data)`` reads a file (parsers.read_file) and stores each message in its own
transaction: a message with errors stores nothing of its content (only a ``rejected`` row
saying why), and does not stop the others. A message already stored (same kind, sender,
interchange reference and message reference) is recorded as ``duplicate`` and not stored
again. Messages about a flight already known merge into it: the flight's times and legs are
updated, a traveller already listed (same source and identity) is updated in place, a PNR
pushed again replaces its previous version (travellers held for a hit or a seizure stay).
Every stored, rejected or duplicate message is audited, without nominal data."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from aircop.accounts.models import Role
from aircop.audit.services import record
from aircop.core import tasks
from aircop.network import reference
from aircop.network.models import Unit, UnitKind
from aircop.passengers import parsers
from aircop.passengers.models import (
    Booking,
    Flight,
    FlightStop,
    MessageStatus,
    ReceivedMessage,
    TravelDocument,
    Traveller,
    TravellerSource,
)
from aircop.passengers.parsers import model

Progress = Callable[[str, int, int], None]
UPLOAD_ROLES = {Role.AIRLINE, Role.OFFICER, Role.UNIT_HEAD, Role.COORDINATOR, Role.ADMIN}
UPLOAD_UNIT_KINDS = {UnitKind.AIRLINE, UnitKind.JAITF, UnitKind.NATIONAL_HQ}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def may_upload(user) -> bool:
    """Airlines, task forces and national headquarters send passenger data."""
    return user.role in UPLOAD_ROLES and (
        user.role == Role.ADMIN
        or Unit.objects.filter(pk__in=user.unit_ids(), kind__in=UPLOAD_UNIT_KINDS, is_active=True).exists()
    )


class Rejected(Exception):
    """A message whose content cannot be stored (e.g. a flight without a date)."""

    def __init__(self, reason: str, message_ref: str = ""):
        self.error = {
            "message": message_ref or None,
            "segment": None,
            "tag": None,
            "element": None,
            "component": None,
            "reason": reason,
        }
        super().__init__(reason)


@dataclass
class MessageOutcome:
    kind: str
    message_ref: str
    interchange_ref: str
    sender: str
    status: str
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    flights: list[str] = field(default_factory=list)
    flight_ids: list[int] = field(default_factory=list)
    travellers: int = 0
    bookings: int = 0
    id: int | None = None

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "sender": self.sender or None,
            "interchange_ref": self.interchange_ref,
            "message_ref": self.message_ref or None,
            "status": self.status,
            "flights": self.flights,
            "flight_ids": self.flight_ids,
            "travellers": self.travellers,
            "bookings": self.bookings,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass
class IngestReport:
    name: str
    sha256: str
    format: str
    messages: list[MessageOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and all(m.status != MessageStatus.REJECTED for m in self.messages)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in MessageStatus}
        for m in self.messages:
            out[m.status] += 1
        return out

    def as_json(self) -> dict:
        return {
            "file": self.name,
            "sha256": self.sha256,
            "format": self.format,
            "ok": self.ok,
            "counts": self.counts(),
            "messages": [m.as_json() for m in self.messages],
            "warnings": self.warnings,
            "errors": self.errors,
        }


# ----------------------------------------------------------------------------- flights
def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # an airport we do not know: its local time taken as UTC
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _country(iata: str) -> str:
    record_ = reference.airport_record(iata)
    return (record_ or {}).get("country", "") or ""


def _groups(legs: list[model.FlightLeg]) -> list[list[model.FlightLeg]]:
    """Consecutive legs of the same carrier and number are one flight."""
    groups: list[list[model.FlightLeg]] = []
    for leg in legs:
        if groups and (groups[-1][0].carrier, groups[-1][0].number) == (leg.carrier, leg.number):
            groups[-1].append(leg)
        else:
            groups.append([leg])
    return groups


def _leg_json(leg: model.FlightLeg) -> dict:
    return {k: v for k, v in leg.as_json().items() if v is not None}


def upsert_flight(legs: list[model.FlightLeg], message_ref: str, now: datetime) -> Flight:
    first, last = legs[0], legs[-1]
    if not first.carrier or not first.number:
        raise Rejected("a flight without carrier or flight number", message_ref)
    if not first.departure_airport or not last.arrival_airport:
        raise Rejected(
            f"flight {first.carrier}{first.number}: departure or arrival airport missing", message_ref
        )
    when = first.scheduled_departure or last.scheduled_arrival
    if when is None:
        raise Rejected(
            f"flight {first.carrier}{first.number}: no scheduled departure or arrival time", message_ref
        )
    fields = {
        "arrival_airport": last.arrival_airport,
        "scheduled_departure": _utc(first.scheduled_departure),
        "scheduled_arrival": _utc(last.scheduled_arrival),
        "legs": [_leg_json(leg) for leg in legs],
        "updated_at": now,
    }
    flight = (
        Flight.objects.select_for_update()
        .filter(
            carrier=first.carrier,
            number=first.number,
            departure_date=when.date(),
            departure_airport=first.departure_airport,
        )
        .first()
    )
    if flight is None:
        flight = Flight.objects.create(
            carrier=first.carrier,
            number=first.number,
            departure_date=when.date(),
            departure_airport=first.departure_airport,
            created_at=now,
            **fields,
        )
    else:
        for name, value in fields.items():
            if value is not None and value != []:
                setattr(flight, name, value)
        flight.save()
        flight.stops.all().delete()
    airports = [first.departure_airport] + [leg.arrival_airport for leg in legs if leg.arrival_airport]
    FlightStop.objects.bulk_create(
        FlightStop(flight=flight, position=i, iata=code, country=_country(code))
        for i, code in enumerate(dict.fromkeys(airports))
    )
    return flight


def _on_flight(traveller: model.Traveller, groups: list[list[model.FlightLeg]]) -> list[int]:
    """Which of the manifest's flights the traveller is on: those overlapping the journey from
    embarkation to debarkation along the manifest's route; all of them when unknown."""
    route: list[str] = []
    spans: list[tuple[int, int]] = []
    for legs in groups:
        airports = [legs[0].departure_airport or ""] + [leg.arrival_airport or "" for leg in legs]
        if route and route[-1] == airports[0]:
            start = len(route) - 1
            route.extend(airports[1:])
        else:
            start = len(route)
            route.extend(airports)
        spans.append((start, len(route) - 1))
    try:
        i = route.index(traveller.embarkation) if traveller.embarkation else 0
        j = (
            len(route) - 1 - route[::-1].index(traveller.debarkation)
            if traveller.debarkation
            else len(route) - 1
        )
    except ValueError:
        return list(range(len(groups)))
    if j <= i:
        return list(range(len(groups)))
    return [n for n, (a, b) in enumerate(spans) if a < j and i < b] or list(range(len(groups)))


# ----------------------------------------------------------------------------- travellers
def _identity(*parts) -> str:
    text = "|".join(str(p or "").strip().upper() for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def traveller_identity(t: model.Traveller, source: str, record_locator: str = "") -> str:
    doc = t.documents[0] if t.documents else model.Document()
    if source == TravellerSource.PNR:
        return _identity(record_locator, t.reference, t.surname, t.given_names)
    return _identity(t.type, t.surname, t.given_names, t.date_of_birth, doc.number, doc.issuing_country)


TRAVELLER_FIELDS = (
    "type",
    "surname",
    "given_names",
    "sex",
    "date_of_birth",
    "nationality",
    "residence_country",
    "place_of_birth",
    "embarkation",
    "debarkation",
    "transit",
    "in_transit",
    "booking_reference",
    "seat",
    "bag_tags",
    "extra",
)


def _traveller_fields(t: model.Traveller) -> dict:
    extra = {
        k: v
        for k, v in {
            "reference": t.reference,
            "infant": t.infant or None,
            "with_infant": t.with_infant or None,
            "frequent_flyer": t.frequent_flyer,
            "addresses": t.addresses,
            "ticket_numbers": t.ticket_numbers,
        }.items()
        if v
    }
    return {
        "type": t.type if t.type in model.TRAVELLER_TYPES else "passenger",
        "surname": (t.surname or "")[:120],
        "given_names": (t.given_names or "")[:160],
        "sex": t.sex if t.sex in model.SEXES else "",
        "date_of_birth": t.date_of_birth,
        "nationality": t.nationality or "",
        "residence_country": t.residence_country or "",
        "place_of_birth": (t.place_of_birth or "")[:120],
        "embarkation": t.embarkation or "",
        "debarkation": t.debarkation or "",
        "transit": list(t.transit),
        "in_transit": bool(t.in_transit),
        "booking_reference": (t.booking_reference or "")[:20],
        "seat": (t.seat or "")[:8],
        "bag_tags": list(t.bag_tags),
        "extra": extra,
    }


def store_travellers(
    flight: Flight,
    travellers: list[model.Traveller],
    source: str,
    now: datetime,
    *,
    booking: Booking | None = None,
) -> list[Traveller]:
    """Store travellers on a flight in a few statements whatever their number: the ones
    already listed (same source and identity) are updated, the others created; a person
    listed twice in one message is stored once (the last listing wins)."""
    locator = booking.record_locator if booking else ""
    wanted: dict[str, tuple[dict, model.Traveller]] = {}
    for t in travellers:
        wanted[traveller_identity(t, source, locator)] = (_traveller_fields(t), t)
    existing = {
        row.identity: row
        for row in Traveller.objects.filter(flight=flight, source=source, identity__in=list(wanted))
    }
    created, updated, rows = [], [], []
    for identity, (fields, _t) in wanted.items():
        row = existing.get(identity)
        if row is None:
            row = Traveller(
                flight=flight,
                booking=booking,
                source=source,
                identity=identity,
                created_at=now,
                updated_at=now,
            )
            created.append(row)
        else:
            row.booking, row.updated_at, row.masked_at = booking, now, None
            updated.append(row)
        for name, value in fields.items():
            setattr(row, name, value)
        rows.append(row)
    Traveller.objects.bulk_create(created, batch_size=500)
    if updated:
        Traveller.objects.bulk_update(
            updated, [*TRAVELLER_FIELDS, "booking", "updated_at", "masked_at"], batch_size=500
        )
        TravelDocument.objects.filter(traveller__in=updated).delete()
    TravelDocument.objects.bulk_create(
        (
            TravelDocument(
                traveller=row,
                position=i,
                type=(d.type or "")[:3],
                number=(d.number or "")[:40],
                issuing_country=d.issuing_country or "",
                expiry_date=d.expiry_date,
                issue_date=d.issue_date,
            )
            for row, (_fields, t) in zip(rows, wanted.values(), strict=True)
            for i, d in enumerate(t.documents)
        ),
        batch_size=500,
    )
    return rows


def _store_manifest(parsed: parsers.ParsedMessage, outcome: MessageOutcome, now: datetime) -> list[Flight]:
    manifest = parsed.manifest
    if not manifest.flights:
        raise Rejected("the manifest names no flight", parsed.message_ref)
    groups = _groups(manifest.flights)
    flights = [upsert_flight(legs, parsed.message_ref, now) for legs in groups]
    source = TravellerSource.CSV if parsed.kind == "csv" else TravellerSource.API
    per_flight: list[list[model.Traveller]] = [[] for _ in flights]
    for t in manifest.travellers:
        for n in _on_flight(t, groups):
            per_flight[n].append(t)
    for flight, travellers in zip(flights, per_flight, strict=True):
        store_travellers(flight, travellers, source, now)
    outcome.travellers = len(manifest.travellers)
    return flights


def _booking_data(b: model.Booking) -> dict:
    data = b.as_json()
    data.pop("travellers", None)
    data.pop("warnings", None)
    return data


def _store_bookings(parsed: parsers.ParsedMessage, outcome: MessageOutcome, now: datetime) -> list[Flight]:
    flights: dict[int, Flight] = {}
    for b in parsed.bookings:
        leg = b.flight or (b.itinerary[0] if b.itinerary else None)
        if leg is None:
            raise Rejected(f"PNR {b.record_locator}: no flight (TVL) to attach it to", parsed.message_ref)
        flight = upsert_flight([leg], parsed.message_ref, now)
        flights[flight.pk] = flight
        booking, created = Booking.objects.select_for_update().get_or_create(
            flight=flight,
            sender=parsed.sender[:80],
            record_locator=b.record_locator[:20],
            defaults={"created_at": now, "updated_at": now},
        )
        booking.booked_at = _utc(b.created_at)
        booking.last_modified_at = _utc(b.last_modified_at)
        booking.data = _booking_data(b)
        booking.updated_at, booking.masked_at = now, None
        booking.save()
        kept = {
            row.pk
            for row in store_travellers(flight, b.travellers, TravellerSource.PNR, now, booking=booking)
        }
        # Travellers no longer in the PNR leave it, unless a hit or a seizure holds them.
        booking.travellers.exclude(pk__in=kept).filter(hold_reason="").delete()
        outcome.travellers += len(b.travellers)
    outcome.bookings = len(parsed.bookings)
    return list(flights.values())


# ----------------------------------------------------------------------------- messages
def _audit(actor, row: ReceivedMessage, outcome: MessageOutcome) -> None:
    record(
        actor,
        f"passengers.message_{row.status}",
        row,
        data={
            "kind": row.kind,
            "sender": row.sender,
            "interchange_ref": row.interchange_ref,
            "message_ref": row.message_ref,
            "flights": outcome.flights,
            "travellers": outcome.travellers,
            "bookings": outcome.bookings,
            "errors": len(outcome.errors),
        },
    )


def _row(parsed: parsers.ParsedMessage, outcome: MessageOutcome, *, name, sha, source, actor, now):
    return ReceivedMessage.objects.create(
        kind=parsed.kind,
        sender=parsed.sender[:80],
        interchange_ref=parsed.interchange_ref[:80],
        message_ref=parsed.message_ref[:40],
        version=parsed.version[:20],
        file_name=name[:200],
        sha256=sha,
        source=source,
        received_by=actor,
        received_at=now,
        status=outcome.status,
        errors=outcome.errors,
        warnings=outcome.warnings[:200],
        travellers=outcome.travellers,
        bookings=outcome.bookings,
    )


def _already(parsed: parsers.ParsedMessage) -> bool:
    return ReceivedMessage.objects.filter(
        kind=parsed.kind,
        sender=parsed.sender[:80],
        interchange_ref=parsed.interchange_ref[:80],
        message_ref=parsed.message_ref[:40],
        status=MessageStatus.STORED,
    ).exists()


def store_message(
    parsed: parsers.ParsedMessage, *, name: str, sha: str, source: str, actor=None
) -> MessageOutcome:
    """One message, all or nothing. Returns what became of it."""
    outcome = MessageOutcome(
        kind=parsed.kind,
        message_ref=parsed.message_ref,
        interchange_ref=parsed.interchange_ref,
        sender=parsed.sender,
        status=MessageStatus.STORED,
        errors=list(parsed.errors),
        warnings=list(parsed.warnings),
    )
    now = timezone.now()
    if not parsed.ok:
        outcome.status = MessageStatus.REJECTED
    elif _already(parsed):
        outcome.status = MessageStatus.DUPLICATE
    else:
        try:
            with transaction.atomic():
                flights = (
                    _store_bookings(parsed, outcome, now)
                    if parsed.kind == "pnrgov"
                    else _store_manifest(parsed, outcome, now)
                )
                outcome.flights = [
                    f"{f.designator} {f.departure_date} {f.departure_airport}-{f.arrival_airport}"
                    for f in flights
                ]
                outcome.flight_ids = [f.pk for f in flights]
                row = _row(parsed, outcome, name=name, sha=sha, source=source, actor=actor, now=now)
                row.flights.set(flights)
                _audit(actor, row, outcome)
                # Screened in the background against the watchlists and risk rules (the
                # screening app's handler; queued by name, passengers does not import it).
                tasks.enqueue(
                    "screening.screen", {"flights": outcome.flight_ids, "message": row.pk}, user=actor
                )
                outcome.id = row.pk
                return outcome
        except Rejected as exc:
            outcome.status, outcome.errors = MessageStatus.REJECTED, [exc.error]
            outcome.travellers = outcome.bookings = 0
            outcome.flights, outcome.flight_ids = [], []
        except IntegrityError:  # the same message stored by a concurrent upload a moment ago
            outcome.status = MessageStatus.DUPLICATE
            outcome.travellers = outcome.bookings = 0
            outcome.flights, outcome.flight_ids = [], []
    with transaction.atomic():
        row = _row(parsed, outcome, name=name, sha=sha, source=source, actor=actor, now=now)
        _audit(actor, row, outcome)
        outcome.id = row.pk
    return outcome


def ingest(
    data: bytes | str, *, name: str = "", source: str, actor=None, progress: Progress | None = None
) -> IngestReport:
    """Read and store every message of a file (docs/passenger-data.md)."""
    parsed = parsers.read_file(data, name)
    report = IngestReport(
        parsed.name, parsed.sha256, parsed.format, warnings=parsed.warnings, errors=parsed.errors
    )
    total = len(parsed.messages)
    for i, message in enumerate(parsed.messages, 1):
        report.messages.append(
            store_message(message, name=name, sha=parsed.sha256, source=source, actor=actor)
        )
        if progress:
            progress("stored", i, total)
    return report
