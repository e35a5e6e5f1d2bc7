"""Advance passenger data as stored (docs/passenger-data.md): the messages received, the
flights they are about, the travellers with their travel documents, and the bookings (PNR).

Passenger data belongs to the units of the airports a flight touches and to their national
headquarters (docs/handling.md, "Passenger data"); it is masked, then deleted, on the
retention schedule (passengers/retention.py) unless held (a confirmed hit or a seizure).
Times are UTC; pages show each airport's local time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MessageKind(models.TextChoices):
    PAXLST = "paxlst", _("API (PAXLST)")
    PNRGOV = "pnrgov", _("PNR (PNRGOV)")
    CSV = "csv", _("CSV manifest")


class MessageStatus(models.TextChoices):
    STORED = "stored", _("Stored")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate, not stored again")


class Source(models.TextChoices):
    API = "api", _("API upload")
    WEB = "web", _("Web upload")
    FOLDER = "folder", _("Drop folder")
    CLI = "cli", _("Command line")


class TravellerSource(models.TextChoices):
    API = "api", _("API (PAXLST)")
    PNR = "pnr", _("PNR (PNRGOV)")
    CSV = "csv", _("CSV manifest")


class Flight(models.Model):
    """One flight on one day: carrier, number and the local date of its first departure.
    Messages about the same flight (an update, the PNR pushes at -72 h and -24 h, the final
    API manifest) merge into it."""

    carrier = models.CharField(max_length=3)
    number = models.CharField(max_length=5)
    departure_date = models.DateField(help_text=_("Local date at the departure airport"))
    departure_airport = models.CharField(max_length=3, db_index=True)
    arrival_airport = models.CharField(max_length=3, db_index=True)
    scheduled_departure = models.DateTimeField(null=True, blank=True)
    scheduled_arrival = models.DateTimeField(null=True, blank=True)
    # Every leg as read: [{"departure_airport", "arrival_airport", "scheduled_departure", ...}]
    legs = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["scheduled_departure", "carrier", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "number", "departure_date", "departure_airport"], name="flight_identity"
            )
        ]
        indexes = [
            models.Index(fields=["arrival_airport", "scheduled_arrival"], name="flight_arrival"),
            models.Index(fields=["departure_airport", "scheduled_departure"], name="flight_departure"),
        ]

    def __str__(self):
        return f"{self.carrier}{self.number} {self.departure_date} {self.departure_airport}-{self.arrival_airport}"

    @property
    def designator(self) -> str:
        return f"{self.carrier}{self.number}"


class FlightStop(models.Model):
    """An airport the flight touches (departure, stops, arrival) with its country: who may see
    the flight's passenger data follows these rows."""

    flight = models.ForeignKey(Flight, on_delete=models.CASCADE, related_name="stops")
    position = models.PositiveSmallIntegerField()
    iata = models.CharField(max_length=3)
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166 alpha-2"))

    class Meta:
        ordering = ["flight", "position"]
        indexes = [
            models.Index(fields=["iata", "flight"], name="stop_iata"),
            models.Index(fields=["country", "flight"], name="stop_country"),
        ]

    def __str__(self):
        return f"{self.iata} ({self.position})"


class ReceivedMessage(models.Model):
    """One message received (a file may hold several) and what became of it. Holds no
    passenger data: counts, envelope, errors and warnings only."""

    kind = models.CharField(max_length=8, choices=MessageKind.choices)
    sender = models.CharField(max_length=80, blank=True)
    # The interchange control reference (UNB), or "sha256:..." of the message when it has none.
    interchange_ref = models.CharField(max_length=80)
    message_ref = models.CharField(max_length=40, blank=True)
    version = models.CharField(max_length=20, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, help_text=_("Of the file that carried it"))
    source = models.CharField(max_length=8, choices=Source.choices)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=MessageStatus.choices)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    flights = models.ManyToManyField(Flight, blank=True, related_name="messages")
    travellers = models.PositiveIntegerField(default=0)
    bookings = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            # A duplicate (same sender, interchange and message reference) is not stored twice.
            models.UniqueConstraint(
                fields=["kind", "sender", "interchange_ref", "message_ref"],
                condition=Q(status="stored"),
                name="message_stored_once",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.sender} {self.interchange_ref}/{self.message_ref}"


class Booking(models.Model):
    """One PNR as last pushed for a flight. The parts other than travellers (itinerary,
    contacts, payments with masked cards, seats, bags, history, agency) are kept as read, in
    ``data``; contacts and payments are nominal data and are masked with the travellers."""

    flight = models.ForeignKey(Flight, on_delete=models.CASCADE, related_name="bookings")
    sender = models.CharField(max_length=80, blank=True)
    record_locator = models.CharField(max_length=20)
    booked_at = models.DateTimeField(null=True, blank=True)
    last_modified_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    masked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["flight", "record_locator"]
        constraints = [
            models.UniqueConstraint(fields=["flight", "sender", "record_locator"], name="booking_identity")
        ]

    def __str__(self):
        return f"PNR {self.record_locator}"


class Traveller(models.Model):
    """A passenger or crew member on a flight, from one source (API, PNR or CSV). Names,
    documents, date of birth, contacts and addresses are nominal data."""

    flight = models.ForeignKey(Flight, on_delete=models.CASCADE, related_name="travellers")
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="travellers"
    )
    source = models.CharField(max_length=4, choices=TravellerSource.choices)
    type = models.CharField(max_length=10, default="passenger")
    surname = models.CharField(max_length=120, blank=True)
    given_names = models.CharField(max_length=160, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    nationality = models.CharField(max_length=3, blank=True)
    residence_country = models.CharField(max_length=3, blank=True)
    place_of_birth = models.CharField(max_length=120, blank=True)
    embarkation = models.CharField(max_length=3, blank=True)
    debarkation = models.CharField(max_length=3, blank=True)
    transit = models.JSONField(default=list, blank=True)
    in_transit = models.BooleanField(default=False)
    booking_reference = models.CharField(max_length=20, blank=True)
    seat = models.CharField(max_length=8, blank=True)
    bag_tags = models.JSONField(default=list, blank=True)
    # What only a PNR carries: reference, infant flags, frequent flyer, addresses, tickets.
    extra = models.JSONField(default=dict, blank=True)
    # Merging: the same person in a later message for the same flight and source.
    identity = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    masked_at = models.DateTimeField(null=True, blank=True)
    # Kept beyond the retention schedule: a confirmed hit or a seizure rests on this record.
    hold_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["flight", "surname", "given_names", "id"]
        constraints = [
            models.UniqueConstraint(fields=["flight", "source", "identity"], name="traveller_identity")
        ]

    def __str__(self):
        return f"traveller {self.pk} on flight {self.flight_id}"


class TravelDocument(models.Model):
    traveller = models.ForeignKey(Traveller, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(max_length=3, blank=True)
    number = models.CharField(max_length=40, blank=True, db_index=True)
    issuing_country = models.CharField(max_length=3, blank=True)
    expiry_date = models.DateField(null=True, blank=True)
    issue_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["traveller", "position"]

    def __str__(self):
        return f"{self.type} {self.issuing_country}"
