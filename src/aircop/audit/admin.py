from django.contrib import admin

from aircop.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, the database refuses changes anyway."""

    list_display = ("seq", "at", "actor_username", "action", "object_type", "object_id", "ip", "channel")
    list_filter = ("action", "channel")
    search_fields = ("actor_username", "action", "object_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
