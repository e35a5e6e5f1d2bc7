from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One link of the append-only, hash-chained audit log.

    ``hash`` = SHA-256(prev_hash + canonical JSON of this entry's content). Database triggers
    (see guard.py) refuse UPDATE and DELETE; ``aircop audit verify`` walks the chain.
    """

    seq = models.BigIntegerField(unique=True, verbose_name=_("sequence"))
    at = models.DateTimeField(verbose_name=_("time (UTC)"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=80, blank=True)
    ip = models.CharField(max_length=45, blank=True)
    channel = models.CharField(max_length=10)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action} by {self.actor_username or '-'}"
