"""A ModelAdmin base whose every change is appended to the audit trail in the same
transaction (the admin wraps each change in one). Imports no domain model."""

from django.contrib import admin
from django.forms.models import model_to_dict


class AuditedModelAdmin(admin.ModelAdmin):
    def _record(self, request, action, obj, data=None):
        from aircop.audit.services import record  # late: core imports no domain app at load time

        record(request.user, action, obj, data=data)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = sorted(form.changed_data) if change else sorted(model_to_dict(obj).keys())
        self._record(request, f"admin.{'changed' if change else 'created'}", obj, {"fields": changed})

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._record(request, "admin.created", obj, {"inline_of": str(form.instance.pk)})
        for obj, fields in formset.changed_objects:
            self._record(
                request, "admin.changed", obj, {"fields": sorted(fields), "inline_of": str(form.instance.pk)}
            )
        for obj in formset.deleted_objects:
            self._record(
                request, "admin.deleted", obj, {"repr": str(obj)[:200], "inline_of": str(form.instance.pk)}
            )

    def delete_model(self, request, obj):
        self._record(request, "admin.deleted", obj, {"repr": str(obj)[:200]})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._record(request, "admin.deleted", obj, {"repr": str(obj)[:200]})
        super().delete_queryset(request, queryset)
