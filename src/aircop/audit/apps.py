from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "aircop.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from aircop.audit import selectors  # noqa: F401  registers the visibility policy
