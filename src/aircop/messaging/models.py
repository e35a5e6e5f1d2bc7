from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aircop.network.models import Airport, Country, Region, Unit, UnitGroup


class Kind(models.TextChoices):
    PASSENGER = "passenger", _("Passenger alert")
    BAGGAGE = "baggage", _("Baggage alert")
    CARGO = "cargo", _("Cargo alert")
    MAIL = "mail", _("Mail alert")
    SEIZURE_NOTICE = "seizure_notice", _("Seizure notice")
    RFI = "rfi", _("Request for information")
    GENERAL = "general", _("General message")


class Priority(models.TextChoices):
    FLASH = "flash", _("Flash")
    IMMEDIATE = "immediate", _("Immediate")
    ROUTINE = "routine", _("Routine")


class Tlp(models.TextChoices):
    """Traffic Light Protocol 2.0 labels (see docs/handling.md)."""

    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber_strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


class Scope(models.TextChoices):
    UNIT = "unit", _("Unit")
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    GROUP = "group", _("Group of units")
    NETWORK = "network", _("Whole network")
    OPERATION = "operation", _("Joint operation")


class Result(models.TextChoices):
    SEIZED = "seized", _("Intercepted with seizure")
    NEGATIVE = "negative", _("Controlled, negative")
    NOT_ON_BOARD = "not_on_board", _("Passenger not on board")
    MISSED = "missed", _("Missed")
    NO_ACTION = "no_action", _("No action taken")


class Alert(models.Model):
    kind = models.CharField(max_length=20, choices=Kind.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.ROUTINE)
    tlp = models.CharField(max_length=12, choices=Tlp.choices, default=Tlp.AMBER)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alerts_sent")
    sender_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="alerts_sent")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    destination = models.ForeignKey(
        Airport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Airport whose local time the validity is expressed in"),
    )
    details = models.JSONField(
        default=dict, help_text=_("Structured fields of the kind, without nominal data")
    )
    nominal = models.JSONField(default=dict, help_text=_("Names, documents, dates of birth"))
    nominal_restricted = models.BooleanField(default=False)
    flagged_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Flash alert not acknowledged in time")
    )
    # Set when the alert was sent to a joint operation's closed audience (docs/operations.md).
    operation = models.ForeignKey(
        "operations.Operation", null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    # A key the sending client chose (the API's Idempotency-Key header, the composer's hidden
    # field) so that sending again after a lost answer returns this alert instead of a second
    # one; with a digest of what was sent, to refuse the same key for a different alert.
    client_key = models.CharField(max_length=80, blank=True, default="")
    client_digest = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [
            models.Index(fields=["sender_unit", "-created_at"]),
            models.Index(fields=["priority", "flagged_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "client_key"], condition=~Q(client_key=""), name="alert_client_key_once"
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"


class AudienceEntry(models.Model):
    """What the sender addressed, as chosen (resolved into Recipient rows at sending)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="audience")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(UnitGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    operation = models.ForeignKey(
        "operations.Operation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="audience_target_matches_scope",
                condition=(
                    Q(scope="unit", unit__isnull=False)
                    | Q(scope="country", country__isnull=False)
                    | Q(scope="region", region__isnull=False)
                    | Q(scope="group", group__isnull=False)
                    | Q(scope="network")
                    | Q(scope="operation", operation__isnull=False)
                ),
            )
        ]

    def __str__(self):
        target = self.unit_id or self.country_id or self.region_id or self.group_id or self.operation_id
        return f"{self.scope}:{target or '*'}"


class Recipient(models.Model):
    """A unit that receives an alert: its acknowledgement and whether it sees nominal data."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="alerts_received")
    via = models.CharField(max_length=10)  # unit, country, region, group, network, operation, forward
    nominal = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    renotified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["unit__code"]
        constraints = [models.UniqueConstraint(fields=["alert", "unit"], name="recipient_once")]
        indexes = [models.Index(fields=["unit", "alert"])]

    def __str__(self):
        return f"alert {self.alert_id} -> unit {self.unit_id}"


class Outcome(models.Model):
    """What the receiving unit did: the outcome loop."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="outcomes")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=15, choices=Result.choices)
    note = models.TextField(blank=True)
    seizure_reference = models.CharField(max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at"]
        constraints = [models.UniqueConstraint(fields=["alert", "unit"], name="outcome_once_per_unit")]

    def __str__(self):
        return f"alert {self.alert_id}: {self.result}"


class Message(models.Model):
    """A reply in an alert's thread, visible to the alert's audience."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"message {self.pk} on alert {self.alert_id}"


class ForwardRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="forward_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    units = models.ManyToManyField(Unit, related_name="+")
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    def __str__(self):
        return f"forward request {self.pk} ({self.status})"


class Attachment(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=100, unique=True)
    has_thumbnail = models.BooleanField(default=False)
    nominal = models.BooleanField(
        default=False,
        help_text=_(
            "Shows a person or an identity document: restricted like names when the alert restricts them"
        ),
    )
    created_at = models.DateTimeField()

    def __str__(self):
        return self.name


class Event(models.Model):
    """One change others must hear about, with an increasing id for no-loss catch-up.
    Rows are inserted while the audit chain's lock is held, so ids commit in order."""

    type = models.CharField(max_length=30)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField()
    data = models.JSONField(default=dict)
    originator_only = models.BooleanField(default=False, help_text=_("Only the sending unit hears of it"))

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"event {self.pk} {self.type}"
