"""Capacity building (docs/capacity.md): activities with their participants and trainers,
the good-practices library, and the equipment provided to units. Dates are calendar days;
timestamps are UTC. The rules that hold whatever writes the rows are database constraints."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aircop.capacity.codes import (
    ActivityKind,
    Condition,
    DocumentKind,
    EquipmentCategory,
    Language,
    Level,
    Readers,
    Sex,
    TopicCode,
)
from aircop.network.models import AgencyKind, Airport, Country, Region, Unit


class Topic(models.Model):
    """One of the programme's training topics (codes.TopicCode), as a row so that activities,
    documents and trainers' expertise point at it with a foreign key. Seeded by migration 0002."""

    code = models.CharField(max_length=30, primary_key=True, choices=TopicCode.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [models.CheckConstraint(condition=Q(code__in=TopicCode.values), name="topic_known")]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        return TopicCode(self.code).label


class Trainer(models.Model):
    family_name = models.CharField(max_length=100)
    given_names = models.CharField(max_length=150, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    agency = models.CharField(max_length=20, choices=AgencyKind.choices, blank=True)
    organisation = models.CharField(max_length=200, blank=True, help_text=_("The trainer's own organisation"))
    nationality = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    expertise = models.ManyToManyField(Topic, blank=True, related_name="+")
    recorded_by_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="trainer_sex_known"),
            models.CheckConstraint(
                condition=Q(agency="") | Q(agency__in=AgencyKind.values), name="trainer_agency_known"
            ),
            models.CheckConstraint(condition=~Q(family_name=""), name="trainer_has_name"),
        ]

    def __str__(self):
        return f"{self.family_name}, {self.given_names}" if self.given_names else self.family_name

    def get_absolute_url(self):
        return reverse("capacity:trainer", kwargs={"trainer_id": self.pk})


class Activity(models.Model):
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    title = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField()
    city = models.CharField(max_length=120)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    airport = models.ForeignKey(Airport, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organising_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="activities_organised")
    host_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities_hosted",
        help_text=_("The unit that hosts the activity (for an exchange: the receiving unit)"),
    )
    beneficiary_units = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="activities_benefiting",
        help_text=_("The units whose staff it is for (for an exchange: the visiting unit)"),
    )
    topics = models.ManyToManyField(Topic, related_name="activities")
    trainers = models.ManyToManyField(Trainer, blank=True, related_name="activities")
    language = models.CharField(max_length=2, choices=Language.choices)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("capacity-building activity")
        verbose_name_plural = _("capacity-building activities")
        indexes = [
            models.Index(fields=["start_date"], name="activity_start"),
            models.Index(fields=["country", "start_date"], name="activity_country_start"),
            models.Index(fields=["organising_unit", "start_date"], name="activity_organiser_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="activity_dates_in_order"
            ),
            models.CheckConstraint(condition=Q(kind__in=ActivityKind.values), name="activity_kind_known"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="activity_level_known"),
            models.CheckConstraint(condition=Q(language__in=Language.values), name="activity_language_known"),
            models.CheckConstraint(
                condition=~Q(kind=ActivityKind.EXCHANGE) | Q(host_unit__isnull=False),
                name="activity_exchange_has_host",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="activity_has_title"),
            models.CheckConstraint(condition=~Q(city=""), name="activity_has_city"),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("capacity:activity", kwargs={"activity_id": self.pk})


class Participant(models.Model):
    """A person trained: the name is personal data (docs/handling.md, Capacity building);
    sex, unit and agency are what the programme's figures count."""

    family_name = models.CharField(max_length=100)
    given_names = models.CharField(max_length=150, blank=True)
    # Folded "family|given" (case, accents and spacing ignored): finds the same person again.
    name_key = models.CharField(max_length=260)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="capacity_participants")
    agency = models.CharField(max_length=20, choices=AgencyKind.choices)
    job_title = models.CharField(max_length=120, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="capacity_participant",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [models.Index(fields=["unit", "name_key"], name="participant_unit_name")]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="participant_sex_known"),
            models.CheckConstraint(
                condition=Q(agency__in=AgencyKind.values), name="participant_agency_known"
            ),
            models.CheckConstraint(condition=~Q(family_name=""), name="participant_has_name"),
        ]

    def __str__(self):
        return f"{self.family_name}, {self.given_names}" if self.given_names else self.family_name

    def get_absolute_url(self):
        return reverse("capacity:participant", kwargs={"participant_id": self.pk})


class Attendance(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="attendances")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["activity", "participant"], name="attendance_once")]

    def __str__(self):
        return f"{self.participant_id} @ {self.activity_id}"


class Document(models.Model):
    """A library document (curriculum, SOP, good-practice note). The file is stored by
    core/uploads.py outside the web root and served only through the download view."""

    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    language = models.CharField(max_length=2, choices=Language.choices)
    topics = models.ManyToManyField(Topic, related_name="documents")
    readers = models.CharField(max_length=10, choices=Readers.choices, default=Readers.NETWORK)
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, help_text=_("The file's name as uploaded"))
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=100, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_kind_known"),
            models.CheckConstraint(condition=Q(language__in=Language.values), name="document_language_known"),
            models.CheckConstraint(condition=Q(readers__in=Readers.values), name="document_readers_known"),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
            models.CheckConstraint(condition=~Q(title=""), name="document_has_title"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("capacity:document", kwargs={"document_id": self.pk})


class DocumentReader(models.Model):
    """One target of a document's readers scope: a region, a country or a unit."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reader_entries")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, country__isnull=True, unit__isnull=True)
                | Q(region__isnull=True, country__isnull=False, unit__isnull=True)
                | Q(region__isnull=True, country__isnull=True, unit__isnull=False),
                name="document_reader_one_target",
            ),
            models.UniqueConstraint(
                fields=["document", "region"], condition=Q(region__isnull=False), name="document_region_once"
            ),
            models.UniqueConstraint(
                fields=["document", "country"],
                condition=Q(country__isnull=False),
                name="document_country_once",
            ),
            models.UniqueConstraint(
                fields=["document", "unit"], condition=Q(unit__isnull=False), name="document_unit_once"
            ),
        ]

    def __str__(self):
        return str(self.region_id or self.country_id or self.unit_id)


class Equipment(models.Model):
    category = models.CharField(max_length=20, choices=EquipmentCategory.choices)
    description = models.CharField(max_length=300)
    provided_on = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, help_text=_("ISO 4217"))
    condition = models.CharField(max_length=20, choices=Condition.choices, default=Condition.NEW)
    holding_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="capacity_equipment")
    donor = models.CharField(max_length=200, blank=True, help_text=_("Donor or programme that funded it"))
    serial_number = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-provided_on", "-id"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        indexes = [models.Index(fields=["holding_unit", "provided_on"], name="equipment_unit_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=EquipmentCategory.values), name="equipment_category_known"
            ),
            models.CheckConstraint(
                condition=Q(condition__in=Condition.values), name="equipment_condition_known"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True, currency="")
                | Q(value__isnull=False, value__gte=0, currency__regex=r"^[A-Z]{3}$"),
                name="equipment_value_has_currency",
            ),
            models.CheckConstraint(condition=~Q(description=""), name="equipment_has_description"),
            models.UniqueConstraint(
                fields=["category", "serial_number"],
                condition=~Q(serial_number=""),
                name="equipment_serial_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.description}"
