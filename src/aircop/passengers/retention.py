"""Retention of passenger data (docs/passenger-data.md, "Retention").

A flight's passenger data is **masked** ``AIRCOP_PASSENGER_MASK_DAYS`` after the flight
(default 30): names, dates and places of birth, document numbers, booking references,
frequent-flyer numbers, addresses, tickets, and the PNR's contacts, payments, travel
agency and history are erased; what stays (type, sex, nationality, route, seat, bags) no
longer identifies a person on its own. It is **deleted** ``AIRCOP_PASSENGER_DELETE_DAYS``
after the flight (default 180): the flight, its travellers and bookings. A traveller held
for a confirmed hit or a seizure (``hold_reason``) is neither masked nor deleted, nor is its
flight or booking. The receipts of the messages (ReceivedMessage) hold no passenger data
and stay. ``run()`` is idempotent; `aircop retention run` and the worker's periodic job call it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.dispatch import Signal
from django.utils import timezone

from aircop.audit.services import record
from aircop.passengers.models import Booking, Flight, TravelDocument, Traveller

# Sent inside the retention run's transaction once travellers are masked and deleted: apps that
# copied something nominal from a traveller (screening's hit explanations) drop it too.
retention_applied = Signal()

BATCH = 2000
MASKED_BOOKING_KEYS = ("contacts", "payments", "travel_agency", "history", "ticketed_at")


@dataclass
class Counts:
    travellers_masked: int = 0
    bookings_masked: int = 0
    flights_deleted: int = 0
    travellers_deleted: int = 0
    bookings_deleted: int = 0
    held: int = 0

    def as_json(self) -> dict:
        return asdict(self)


def _flown_before(moment: datetime) -> Q:
    """Flights whose (last known) time is before ``moment``."""
    return (
        Q(scheduled_arrival__lt=moment)
        | Q(scheduled_arrival__isnull=True, scheduled_departure__lt=moment)
        | Q(scheduled_arrival__isnull=True, scheduled_departure__isnull=True, updated_at__lt=moment)
    )


def _mask_travellers(ids: list[int], now: datetime) -> int:
    Traveller.objects.filter(pk__in=ids).update(
        surname="",
        given_names="",
        date_of_birth=None,
        place_of_birth="",
        booking_reference="",
        extra={},
        # The merge key is a hash of name, birth date and document: it goes too.
        identity=Concat(Value("masked-"), Cast("pk", CharField())),
        masked_at=now,
    )
    TravelDocument.objects.filter(traveller_id__in=ids).update(number="", issue_date=None)
    return len(ids)


def _mask_booking(booking: Booking, now: datetime) -> None:
    data = dict(booking.data)
    for key in MASKED_BOOKING_KEYS:
        data.pop(key, None)
    data["record_locator"] = ""
    booking.data = data
    booking.record_locator = f"masked-{booking.pk}"
    booking.masked_at = now
    booking.save(update_fields=["data", "record_locator", "masked_at"])


@transaction.atomic
def run(*, now: datetime | None = None, dry_run: bool = False) -> Counts:
    now = now or timezone.now()
    counts = Counts()
    mask_before = now - timedelta(days=settings.AIRCOP_PASSENGER_MASK_DAYS)
    delete_before = now - timedelta(days=settings.AIRCOP_PASSENGER_DELETE_DAYS)
    held = Traveller.objects.exclude(hold_reason="")
    counts.held = held.count()

    # Delete: flights flown before the deletion date, except what a hold keeps.
    old = Flight.objects.filter(_flown_before(delete_before))
    keeps = Exists(held.filter(flight_id=OuterRef("pk")))
    gone = old.exclude(keeps)
    counts.flights_deleted = gone.count()
    kept_flights = old.filter(keeps)
    stale_travellers = Traveller.objects.filter(flight__in=kept_flights, hold_reason="")
    stale_bookings = Booking.objects.filter(flight__in=kept_flights).exclude(
        Exists(held.filter(booking_id=OuterRef("pk")))
    )
    counts.travellers_deleted = Traveller.objects.filter(flight__in=gone).count() + stale_travellers.count()
    counts.bookings_deleted = Booking.objects.filter(flight__in=gone).count() + stale_bookings.count()
    if not dry_run:
        stale_travellers.delete()
        stale_bookings.delete()
        gone.delete()

    # Mask: what is left of flights flown before the masking date.
    # (A dry run deleted nothing: what it would delete is not counted as masked too.)
    to_mask = Flight.objects.filter(_flown_before(mask_before)).exclude(pk__in=gone.values("pk"))
    due = Traveller.objects.filter(masked_at__isnull=True, hold_reason="", flight__in=to_mask).exclude(
        pk__in=stale_travellers.values("pk")
    )
    ids = list(due.values_list("pk", flat=True))
    counts.travellers_masked = len(ids)
    bookings = (
        Booking.objects.filter(masked_at__isnull=True, flight__in=to_mask)
        .exclude(Exists(held.filter(booking_id=OuterRef("pk"))))
        .exclude(pk__in=stale_bookings.values("pk"))
    )
    counts.bookings_masked = bookings.count()
    if not dry_run:
        for start in range(0, len(ids), BATCH):
            _mask_travellers(ids[start : start + BATCH], now)
        for booking in bookings.iterator(chunk_size=500):
            _mask_booking(booking, now)
        retention_applied.send(sender=Traveller, now=now)
        if any(v for k, v in counts.as_json().items() if k != "held"):
            record(
                None,
                "passengers.retention",
                data={**counts.as_json(), "mask_before": mask_before, "delete_before": delete_before},
            )
    return counts


@transaction.atomic
def hold(*, actor, traveller: Traveller, reason: str) -> Traveller:
    """Keep a traveller's data beyond the schedule (a confirmed hit, a seizure); audited."""
    reason = reason.strip()[:200]
    if not reason:
        raise ValueError("a hold needs a reason")
    traveller.hold_reason = reason
    traveller.save(update_fields=["hold_reason"])
    record(actor, "passengers.held", traveller, data={"reason": reason})
    return traveller
