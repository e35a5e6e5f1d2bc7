from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from aircop.accounts import services
from aircop.accounts.models import ApiToken, User
from aircop.core.admin_audit import AuditedModelAdmin


@admin.register(User)
class AircopUserAdmin(AuditedModelAdmin, UserAdmin):
    list_display = (
        "username",
        "get_full_name",
        "role",
        "vetting_status",
        "is_demo",
        "locked_at",
        "is_active",
    )
    list_filter = ("role", "vetting_status", "is_demo", "is_active")
    readonly_fields = ("failed_logins", "locked_at", "last_login", "date_joined", "is_demo")
    fieldsets = UserAdmin.fieldsets + (
        (
            _("AIRCOP"),
            {
                "fields": (
                    "role",
                    "vetting_status",
                    "vetting_date",
                    "is_demo",
                    "failed_logins",
                    "locked_at",
                )
            },
        ),
    )
    actions = ["unlock_accounts", "reset_second_factor"]

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock_accounts(self, request, queryset):
        for user in queryset:
            services.unlock_user(actor=request.user, user=user)
        n = queryset.count()
        text = ngettext("%(n)d account unlocked.", "%(n)d accounts unlocked.", n) % {"n": n}
        self.message_user(request, text, messages.SUCCESS)

    @admin.action(description=_("Reset the second factor (re-enrol at next sign-in)"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            services.reset_second_factor(actor=request.user, user=user)
        self.message_user(request, _("Second factor reset."), messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("user", "prefix", "key_hash", "created_at", "expires_at", "revoked_at", "last_used_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are made with `aircop token` or on the account page, and shown once

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.revoke_token(actor=request.user, token=token)
