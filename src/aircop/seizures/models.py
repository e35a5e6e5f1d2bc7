"""The seizure register: one record per seizure or interception, its items and the persons
involved (docs/seizures.md). Times are UTC; pages show them in the airport's local time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aircop.messaging.models import Alert, Tlp
from aircop.network.models import AgencyKind, Airport, Country, Region, Unit
from aircop.seizures.codes import (
    COUNTED_STATUSES,
    AgeBand,
    Category,
    Concealment,
    Detection,
    Direction,
    DrugForm,
    Flow,
    PersonRole,
    Phase,
    QuantityUnit,
    Sex,
    Status,
)


class Seizure(models.Model):
    occurred_at = models.DateTimeField(db_index=True)
    airport = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="seizures")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="seizures")
    # Copied from the airport at writing, so that analytics filter without joins.
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reporting_agency = models.CharField(max_length=20, choices=AgencyKind.choices)
    flow = models.CharField(max_length=20, choices=Flow.choices)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    flight = models.CharField(max_length=10, blank=True)
    origin = models.ForeignKey(Airport, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    transit = models.JSONField(
        default=list, blank=True, help_text=_("IATA codes of the transit airports, in order")
    )
    destination = models.ForeignKey(
        Airport, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "BOG>LOS>LIS": origin, transits and destination, for grouping by route.
    route_key = models.CharField(max_length=80, blank=True, db_index=True)
    goods_origin_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concealment = models.CharField(max_length=20, choices=Concealment.choices)
    detection = models.CharField(max_length=20, choices=Detection.choices)
    triggering_alert = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.SET_NULL, related_name="triggered_seizures"
    )
    alerts = models.ManyToManyField(Alert, blank=True, related_name="seizures")
    tlp = models.CharField(max_length=12, choices=Tlp.choices, default=Tlp.AMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when imported by an operator's command"),
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("seizure")
        verbose_name_plural = _("seizures")
        indexes = [
            models.Index(fields=["country", "occurred_at"], name="seizure_country_time"),
            models.Index(fields=["region", "occurred_at"], name="seizure_region_time"),
            models.Index(fields=["airport", "occurred_at"], name="seizure_airport_time"),
            models.Index(fields=["unit", "occurred_at"], name="seizure_unit_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(detection="international_alert") | Q(triggering_alert__isnull=False),
                name="seizure_alert_detection_names_alert",
            ),
            models.CheckConstraint(
                condition=Q(status="validated", validated_at__isnull=False) | ~Q(status="validated"),
                name="seizure_validated_has_time",
            ),
        ]

    def __str__(self):
        return f"seizure {self.pk} at {self.airport_id}"

    @property
    def reference(self) -> str:
        return f"SZ-{self.pk}"

    @property
    def route(self) -> list[str]:
        return self.route_key.split(">") if self.route_key else []


class SeizureItem(models.Model):
    seizure = models.ForeignKey(Seizure, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    category = models.CharField(max_length=20, choices=Category.choices)
    subtype = models.CharField(max_length=40)
    drug_form = models.CharField(max_length=10, choices=DrugForm.choices, blank=True)
    quantity = models.DecimalField(max_digits=16, decimal_places=3)
    unit = models.CharField(max_length=10, choices=QuantityUnit.choices)
    currency = models.CharField(max_length=3, blank=True, help_text=_("ISO 4217, for an amount of money"))
    # Normalised: kilograms where a conversion is defined (codes.KG_PER_UNIT), else a count.
    mass_kg = models.DecimalField(max_digits=16, decimal_places=3, null=True, blank=True)
    count = models.BigIntegerField(null=True, blank=True)
    estimated_value = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    value_currency = models.CharField(max_length=3, blank=True)
    description = models.CharField(max_length=300, blank=True)
    # Copied from the seizure (``item_copies``), so that analytics aggregate items without a join. ``counted``:
    # the seizure's status is one that figures count (codes.COUNTED_STATUSES); the services
    # keep it in step with the status.
    counted = models.BooleanField(default=False)
    occurred_at = models.DateTimeField()
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    airport = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="+")
    route_key = models.CharField(max_length=80, blank=True)
    flow = models.CharField(max_length=20, blank=True)
    concealment = models.CharField(max_length=20, blank=True)
    detection = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["seizure", "position", "id"]
        indexes = [
            models.Index(fields=["occurred_at", "category", "subtype"], name="item_time_category"),
            models.Index(fields=["country", "occurred_at"], name="item_country_time"),
            models.Index(fields=["region", "occurred_at"], name="item_region_time"),
            models.Index(fields=["airport", "occurred_at"], name="item_airport_time"),
            # Figures read counted items by time (a partial index: drafts are left out).
            models.Index(
                fields=["occurred_at", "category", "subtype"],
                condition=Q(counted=True),
                name="item_counted_time",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="item_quantity_positive"),
            models.CheckConstraint(
                condition=~Q(unit="currency") | ~Q(currency=""), name="item_currency_amount_has_code"
            ),
        ]

    def __str__(self):
        return f"{self.subtype} {self.quantity} {self.currency or self.unit}"


def item_copies(seizure: Seizure) -> dict:
    """The seizure's fields that its items carry too (``SeizureItem`` above): every writer of
    items (services, import, demo, bench loader) takes them from here."""
    return {
        "counted": seizure.status in COUNTED_STATUSES,
        "occurred_at": seizure.occurred_at,
        "country_id": seizure.country_id,
        "region_id": seizure.region_id,
        "airport_id": seizure.airport_id,
        "route_key": seizure.route_key,
        "flow": seizure.flow,
        "concealment": seizure.concealment,
        "detection": seizure.detection,
    }


class SeizurePerson(models.Model):
    """Someone involved. Role, nationality, sex and age band are statistics; names,
    documents and the date of birth (``nominal``) are nominal data under the handling rules."""

    seizure = models.ForeignKey(Seizure, on_delete=models.CASCADE, related_name="persons")
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(max_length=12, choices=PersonRole.choices)
    nationality = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    nominal = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["seizure", "position", "id"]

    def __str__(self):
        return f"{self.role} ({self.nationality_id or '?'}, {self.sex}, {self.age_band})"


class SeizurePhoto(models.Model):
    """A photo (or PDF) of the goods, the concealment or a person; stored by core/uploads.py.
    One that shows a person or an identity document is ``nominal``: shown only to those who
    see the record's nominal data."""

    seizure = models.ForeignKey(Seizure, on_delete=models.CASCADE, related_name="photos")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=100, unique=True)
    has_thumbnail = models.BooleanField(default=False)
    nominal = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["seizure", "created_at", "id"]

    def __str__(self):
        return self.name


class SeizureFigure(models.Model):
    """One cell of the monthly roll-up of the figures (seizures/figures.py): for a calendar
    month (UTC) and an airport, one figure's key with its counted seizures, persons,
    kilograms, counts and amounts. Derived data, recomputed by the services that write the
    register; no nominal data."""

    month = models.DateField(help_text=_("First day of the month (UTC)"))
    airport = models.ForeignKey(Airport, on_delete=models.PROTECT, related_name="+")
    # As copied onto the seizures of the cell (a seizure keeps the country and region of its time).
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    figure = models.CharField(max_length=12)
    key = models.CharField(max_length=100, blank=True)
    seizures = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField(default=0)
    mass_kg = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    count = models.BigIntegerField(null=True, blank=True)
    amount = models.DecimalField(max_digits=20, decimal_places=3, null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["figure", "month"], name="figure_month"),
            models.Index(fields=["figure", "region", "month"], name="figure_region_month"),
            models.Index(fields=["figure", "country", "month"], name="figure_country_month"),
            models.Index(fields=["figure", "airport", "month"], name="figure_airport_month"),
            models.Index(fields=["month", "airport"], name="figure_cell"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.airport_id} {self.figure} {self.key}"
