"""/api/v1/passenger-data and /api/v1/flights: advance passenger data over REST
(docs/passenger-data.md, "API"). Thin: the work is in services, selectors and tasks.

An upload answers 202 at once with the task that reads and stores it in the background;
GET /api/v1/passenger-data/tasks/{id} shows its progress, then every message's outcome."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from aircop.core import tasks
from aircop.core.api_schemas import Day, DetailErrorOut
from aircop.core.models import Task
from aircop.core.visibility import get_visible_or_404
from aircop.passengers import selectors, services
from aircop.passengers import tasks as passenger_tasks
from aircop.passengers.models import Flight, Source, Traveller

router = Router(tags=["passenger data"])

CHUNK = 64 * 1024


def max_upload_bytes() -> int:
    return getattr(settings, "AIRCOP_PASSENGER_MAX_BYTES", services.MAX_UPLOAD_BYTES)


class TaskOut(Schema):
    id: int
    status: str
    stage: str
    done: int
    total: int
    status_url: str
    result: Any = None
    error: str = ""


class PassengerDocumentOut(Schema):
    type: str
    number: str
    issuing_country: str
    expiry_date: date | None


class TravellerOut(Schema):
    id: int
    source: str
    type: str
    surname: str
    given_names: str
    sex: str | None
    date_of_birth: date | None
    nationality: str | None
    residence_country: str | None
    embarkation: str | None
    debarkation: str | None
    in_transit: bool
    booking_reference: str | None
    seat: str | None
    bag_tags: list[str]
    documents: list[PassengerDocumentOut]
    masked: bool


class FlightOut(Schema):
    id: int
    carrier: str
    number: str
    departure_airport: str
    arrival_airport: str
    departure_date: date
    scheduled_departure: str | None
    scheduled_arrival: str | None
    travellers: int
    legs: list[dict]


class ManifestOut(FlightOut):
    passengers: list[TravellerOut]
    bookings: list[dict]


def _task_out(task: Task) -> dict:
    return {
        "id": task.pk,
        "status": task.status,
        "stage": task.stage,
        "done": task.done,
        "total": task.total,
        "status_url": f"/api/v1/passenger-data/tasks/{task.pk}",
        "result": task.result if task.finished else None,
        "error": task.error or "",
    }


def _read_body(request) -> bytes:
    limit = max_upload_bytes()
    declared = request.META.get("CONTENT_LENGTH")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HttpError(413, _("the message is larger than %(n)d bytes") % {"n": limit})
    parts, size = [], 0
    while True:
        chunk = request.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise HttpError(413, _("the message is larger than %(n)d bytes") % {"n": limit})
        parts.append(chunk)
    return b"".join(parts)


@router.post(
    "/passenger-data",
    response={202: TaskOut, 400: DetailErrorOut, 403: DetailErrorOut, 413: DetailErrorOut},
    summary="Send API (PAXLST), PNR (PNRGOV) or CSV manifest data, as the raw file in the request body",
)
def upload(request, name: Annotated[str, Query(description="the file's name, for the receipts")] = ""):
    """The body is the message exactly as the airline system wrote it (any content type).
    It is read and stored in the background; follow ``status_url``."""
    if not services.may_upload(request.user):
        raise HttpError(403, _("your role cannot send passenger data"))
    data = _read_body(request)
    if not data.strip():
        raise HttpError(400, _("the request body is empty: send the message itself"))
    stored = passenger_tasks.keep_upload(data)
    task = tasks.enqueue(
        passenger_tasks.INGEST_KIND,
        {"stored": stored, "name": name[:200], "source": Source.API, "size": len(data)},
        user=request.user,
    )
    return Status(202, _task_out(task))


@router.get("/passenger-data/tasks/{task_id}", response=TaskOut, summary="Progress and outcome of an upload")
def upload_status(request, task_id: int):
    task = get_visible_or_404(Task.objects.filter(kind=passenger_tasks.INGEST_KIND), request.user, pk=task_id)
    return _task_out(task)


def _flight_out(f: Flight, travellers: int) -> dict:
    return {
        "id": f.pk,
        "carrier": f.carrier,
        "number": f.number,
        "departure_airport": f.departure_airport,
        "arrival_airport": f.arrival_airport,
        "departure_date": f.departure_date,
        "scheduled_departure": f.scheduled_departure.isoformat() if f.scheduled_departure else None,
        "scheduled_arrival": f.scheduled_arrival.isoformat() if f.scheduled_arrival else None,
        "travellers": travellers,
        "legs": f.legs,
    }


def traveller_out(t: Traveller) -> dict:
    return {
        "id": t.pk,
        "source": t.source,
        "type": t.type,
        "surname": t.surname,
        "given_names": t.given_names,
        "sex": t.sex or None,
        "date_of_birth": t.date_of_birth,
        "nationality": t.nationality or None,
        "residence_country": t.residence_country or None,
        "embarkation": t.embarkation or None,
        "debarkation": t.debarkation or None,
        "in_transit": t.in_transit,
        "booking_reference": t.booking_reference or None,
        "seat": t.seat or None,
        "bag_tags": t.bag_tags,
        "documents": [
            {
                "type": d.type,
                "number": d.number,
                "issuing_country": d.issuing_country,
                "expiry_date": d.expiry_date,
            }
            for d in t.documents.all()
        ],
        "masked": t.masked_at is not None,
    }


@router.get(
    "/flights",
    response={200: list[FlightOut], 400: DetailErrorOut},
    summary="Flights whose passenger data I may see",
)
def list_flights(
    request,
    airport: Annotated[str | None, Query(description="IATA code: flights touching this airport")] = None,
    day: Annotated[
        Day | None, Query(alias="date", description="a UTC day on which they depart or arrive")
    ] = None,
    direction: Annotated[str, Query(description="inbound, outbound or all (with airport)")] = "all",
    limit: int = 200,
):
    if direction not in ("inbound", "outbound", "all"):
        raise HttpError(400, _("direction: inbound, outbound or all"))
    start, end = selectors.utc_day(day) if day else (None, None)
    qs = selectors.flights(
        request.user, airport=(airport or "").upper() or None, start=start, end=end, direction=direction
    )
    return [_flight_out(f, f.traveller_count) for f in qs[: max(1, min(limit, 1000))]]


@router.get(
    "/flights/{flight_id}", response=ManifestOut, summary="A flight with its travellers (an audited read)"
)
def get_flight(request, flight_id: int):
    flight = selectors.flight(request.user, flight_id)
    travellers = selectors.manifest(request.user, flight, via="api")
    bookings = selectors.bookings(request.user, flight, via="api")
    out = _flight_out(flight, len(travellers))
    out["passengers"] = [traveller_out(t) for t in travellers]
    out["bookings"] = [{"record_locator": b.record_locator, "sender": b.sender, **b.data} for b in bookings]
    return out


class ReceiptOut(Schema):
    id: int
    kind: str
    sender: str
    interchange_ref: str
    message_ref: str
    file_name: str
    source: str
    received_at: str
    status: str
    travellers: int
    bookings: int
    errors: list[dict]
    warnings: list[str]


@router.get(
    "/passenger-data/messages",
    response=list[ReceiptOut],
    summary="Receipts of messages received: what I sent, and those about my flights (no passenger data)",
)
def list_receipts(request, status: str | None = None, limit: int = 100):
    qs = selectors.messages(request.user)
    if status:
        qs = qs.filter(status=status)
    return [
        {
            "id": m.pk,
            "kind": m.kind,
            "sender": m.sender,
            "interchange_ref": m.interchange_ref,
            "message_ref": m.message_ref,
            "file_name": m.file_name,
            "source": m.source,
            "received_at": m.received_at.isoformat(),
            "status": m.status,
            "travellers": m.travellers,
            "bookings": m.bookings,
            "errors": m.errors,
            "warnings": m.warnings,
        }
        for m in qs[: max(1, min(limit, 1000))]
    ]
