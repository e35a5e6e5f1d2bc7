"""Joint operations (docs/operations.md): an operation over a time window with its
participating units and coordinators, and the daily situation reports of the units.

The state (planned, running, finished) is derived from the window, never stored: an
operation runs from ``starts_at`` (included) to ``ends_at`` (excluded), both UTC."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aircop.messaging.models import Tlp
from aircop.network.models import Unit

NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{1,59}$"


class State(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", pgettext_lazy("operation state", "Running")
    FINISHED = "finished", _("Finished")


class Operation(models.Model):
    name = models.SlugField(max_length=60, unique=True, help_text=_("Stable identifier, e.g. cocaine-2026"))
    title = models.CharField(max_length=200)
    lead_organisation = models.CharField(
        max_length=200, help_text=_("e.g. World Customs Organization, or the leading unit")
    )
    description = models.TextField(blank=True)
    # Focus: codes of the seizure register (categories or subtypes), routes ("GRU-LIS" or free
    # text) and threats (free text).
    commodities = models.JSONField(default=list, blank=True)
    routes = models.JSONField(default=list, blank=True)
    threats = models.JSONField(default=list, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    tlp = models.CharField(
        max_length=12,
        choices=Tlp.choices,
        default=Tlp.AMBER,
        help_text=_("Default label of the operation's alerts, reports and results"),
    )
    units = models.ManyToManyField(Unit, related_name="operations", verbose_name=_("participating units"))
    coordinator_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="operations_coordinated"
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="operations_coordinated"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at", "name"]
        verbose_name = _("joint operation")
        verbose_name_plural = _("joint operations")
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="operation_window")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="operation_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(name__regex=NAME_PATTERN), name="operation_name_slug"),
            # TLP:RED goes to named units only, never to an operation's audience.
            models.CheckConstraint(condition=~Q(tlp=Tlp.RED), name="operation_tlp_not_red"),
        ]

    def __str__(self):
        return self.title or self.name

    def state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.starts_at:
            return State.PLANNED
        return State.RUNNING if now < self.ends_at else State.FINISHED

    def state_label(self) -> str:
        return State(self.state()).label

    def is_running(self, now: datetime | None = None) -> bool:
        return self.state(now) == State.RUNNING

    def has_ended(self, now: datetime | None = None) -> bool:
        return self.state(now) == State.FINISHED


class SituationReport(models.Model):
    """A participating unit's report for one day of the operation (the unit's local day).
    One per unit and day: filing again edits it."""

    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="sitreps")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(help_text=_("The reporting unit's local day"))
    controls = models.PositiveIntegerField(_("controls made"), default=0)
    passengers_checked = models.PositiveIntegerField(_("passengers checked"), default=0)
    bags_checked = models.PositiveIntegerField(_("bags checked"), default=0)
    consignments_checked = models.PositiveIntegerField(_("consignments checked"), default=0)
    mail_checked = models.PositiveIntegerField(_("mail items checked"), default=0)
    seizures = models.ManyToManyField("seizures.Seizure", blank=True, related_name="operation_reports")
    remarks = models.TextField(blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "unit__code"]
        verbose_name = _("situation report")
        verbose_name_plural = _("situation reports")
        constraints = [
            models.UniqueConstraint(fields=["operation", "unit", "day"], name="sitrep_once_per_unit_day"),
        ]
        indexes = [models.Index(fields=["operation", "day"], name="sitrep_operation_day")]

    def __str__(self):
        return f"{self.operation_id} {self.unit_id} {self.day}"
