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
