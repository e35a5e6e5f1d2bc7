from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Task(models.Model):
    """Heavy work a request hands over (an import, later a screening run): queued in the
    database, run by the background worker, its progress readable while it runs (core/tasks.py)."""

    kind = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=TaskStatus.choices, default=TaskStatus.QUEUED, db_index=True
    )
    stage = models.CharField(max_length=30, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"task {self.pk} {self.kind} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (TaskStatus.DONE, TaskStatus.FAILED)
