"""Watchlists (docs/screening.md, "Watchlists"): typed lists of persons and travel documents,
each owned by a unit, with a handling label, a validity and a match threshold. Entries hold
nominal data (names in any script, dates of birth, documents)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aircop.messaging.models import Tlp
from aircop.network.models import Unit


class ListKind(models.TextChoices):
    WANTED = "wanted", _("Wanted persons")
    INTEREST = "interest", _("Persons of interest")
    DOCUMENTS = "documents", _("Stolen or lost travel documents")
    NATIONAL = "national", _("National list")


class Watchlist(models.Model):
    name = models.SlugField(
        max_length=60, unique=True, help_text=_("Short name used by commands, e.g. interpol-sltd")
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=ListKind.choices)
    source = models.CharField(max_length=200, help_text=_("Where the list comes from"))
    owner = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="watchlists")
    tlp = models.CharField(max_length=12, choices=Tlp.choices, default=Tlp.AMBER)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    threshold = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("1"))],
        help_text=_("Lowest score that makes a hit (0.50 to 1.00)"),
    )
    is_active = models.BooleanField(default=True)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(
        default=0, help_text=_("Raised by every change of the list's entries (screening caches by it)")
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="watchlist_validity_in_order",
            ),
            models.CheckConstraint(
                condition=Q(threshold__gte=Decimal("0.5")) & Q(threshold__lte=Decimal("1")),
                name="watchlist_threshold_range",
            ),
        ]

    def __str__(self):
        return self.name

    def touch(self, now) -> None:
        """Mark the entries changed: a new revision (inside the caller's transaction)."""
        Watchlist.objects.filter(pk=self.pk).update(revision=models.F("revision") + 1, updated_at=now)
        self.refresh_from_db(fields=["revision", "updated_at"])


class WatchlistEntry(models.Model):
    watchlist = models.ForeignKey(Watchlist, on_delete=models.CASCADE, related_name="entries")
    reference = models.CharField(max_length=80, help_text=_("The entry's identifier in its source"))
    names = models.JSONField(default=list, blank=True, help_text=_("The name and its aliases, any script"))
    date_of_birth = models.CharField(max_length=10, blank=True, help_text=_("YYYY-MM-DD, YYYY-MM or YYYY"))
    nationality = models.CharField(max_length=3, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    # [{"number", "country", "type"}]
    documents = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)
    added_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["watchlist", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["watchlist", "reference"], name="entry_reference_once"),
        ]

    def __str__(self):
        return f"{self.watchlist_id}:{self.reference}"


class Severity(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class RiskRule(models.Model):
    """A targeting indicator (docs/risk-rules.md): a named rule owned by a unit, whose text
    lives in numbered versions; the active version screens arriving manifests."""

    name = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="risk_rules")
    severity = models.CharField(max_length=6, choices=Severity.choices, default=Severity.MEDIUM)
    tlp = models.CharField(max_length=12, choices=Tlp.choices, default=Tlp.AMBER)
    active_version = models.ForeignKey(
        "RuleVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class RuleVersion(models.Model):
    rule = models.ForeignKey(RiskRule, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    expression = models.TextField(help_text=_("The rule as written"))
    canonical = models.TextField(help_text=_("The rule as the parser reads it"))
    fields = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text=_("What changed"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    # The last trial against stored manifests: {"from", "until", "travellers", "hits", "flights", "at"}.
    last_test = models.JSONField(default=dict, blank=True)
    # Travellers this version has screened while active (its hit rate is hits / screened).
    screened = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["rule", "-number"]
        constraints = [models.UniqueConstraint(fields=["rule", "number"], name="rule_version_once")]

    def __str__(self):
        return f"{self.rule_id} v{self.number}"


class HitStatus(models.TextChoices):
    OPEN = "open", _("To review")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class Hit(models.Model):
    """A traveller who matched a watchlist entry or a risk rule, in the review queue of the
    task forces at the airports concerned (docs/screening.md, "Hits"). Nominal detail lives in
    the traveller and the explanation; both go when passenger-data retention deletes the
    traveller, the counts and outcomes stay."""

    traveller = models.ForeignKey(
        "passengers.Traveller", null=True, blank=True, on_delete=models.SET_NULL, related_name="hits"
    )
    flight = models.ForeignKey(
        "passengers.Flight", null=True, blank=True, on_delete=models.SET_NULL, related_name="hits"
    )
    watchlist = models.ForeignKey(
        Watchlist, null=True, blank=True, on_delete=models.PROTECT, related_name="hits"
    )
    entry = models.ForeignKey(
        WatchlistEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="hits"
    )
    entry_reference = models.CharField(max_length=80, blank=True)
    rule = models.ForeignKey(RiskRule, null=True, blank=True, on_delete=models.PROTECT, related_name="hits")
    rule_version = models.ForeignKey(
        RuleVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="hits"
    )
    score = models.DecimalField(max_digits=4, decimal_places=3)
    threshold = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    severity = models.CharField(max_length=6, choices=Severity.choices)
    explanation = models.JSONField(default=list, blank=True)
    units = models.ManyToManyField(Unit, related_name="hits")
    status = models.CharField(max_length=10, choices=HitStatus.choices, default=HitStatus.OPEN)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    alert = models.ForeignKey(
        "messaging.Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="hits"
    )
    # The reviewing unit's own result (the alert carries the other units' outcomes).
    outcome = models.CharField(max_length=15, blank=True)
    outcome_note = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["traveller", "entry"], condition=Q(entry__isnull=False), name="hit_once_per_entry"
            ),
            models.UniqueConstraint(
                fields=["traveller", "rule"], condition=Q(rule__isnull=False), name="hit_once_per_rule"
            ),
            models.CheckConstraint(
                condition=Q(watchlist__isnull=False) | Q(rule__isnull=False), name="hit_has_a_source"
            ),
        ]

    def __str__(self):
        return f"hit {self.pk}"
