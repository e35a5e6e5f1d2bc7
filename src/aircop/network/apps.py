from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "aircop.network"
    label = "network"
    verbose_name = _("Task-force network")

    def ready(self):
        from aircop.network import selectors  # noqa: F401  registers visibility policies
