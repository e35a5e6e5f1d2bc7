from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "aircop.operations"
    label = "operations"
    verbose_name = _("Joint operations")

    def ready(self):
        from aircop.operations import selectors  # noqa: F401  registers visibility policies
