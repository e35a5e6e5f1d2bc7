from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    UNIT_HEAD = "unit_head", _("Unit head")
    ANALYST = "analyst", _("Analyst")
    COORDINATOR = "coordinator", _("National coordinator")
    LIAISON = "liaison", _("Liaison officer")
    AIRLINE = "airline", _("Airline representative")
    ADMIN = "admin", _("Programme administrator")
    AUDITOR = "auditor", _("Auditor")


class VettingStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    VETTED = "vetted", _("Vetted")
    EXPIRED = "expired", _("Expired")
    REFUSED = "refused", _("Refused")


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OFFICER)
    vetting_status = models.CharField(
        max_length=10, choices=VettingStatus.choices, default=VettingStatus.PENDING
    )
    vetting_date = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(
        default=False, help_text=_("Created by `aircop demo`; may sign in without a second factor")
    )
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def requires_second_factor(self) -> bool:
        return not self.is_demo

    def unit_ids(self) -> list[int]:
        cache = getattr(self, "_unit_ids", None)
        if cache is None:
            cache = list(self.memberships.values_list("unit_id", flat=True))
            self._unit_ids = cache
        return cache

    def country_codes(self) -> list[str]:
        cache = getattr(self, "_country_codes", None)
        if cache is None:
            cache = sorted(set(self.memberships.values_list("unit__country_id", flat=True)))
            self._country_codes = cache
        return cache


class ApiToken(models.Model):
    """A bearer token for /api/v1/. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text=_("First characters, to recognise the token"))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="token_expires_after_creation"
            )
        ]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
