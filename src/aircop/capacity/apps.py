from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityConfig(AppConfig):
    name = "aircop.capacity"
    label = "capacity"
    verbose_name = _("Capacity building")

    def ready(self):
        from aircop.capacity import selectors, selectors_library  # noqa: F401  visibility policies
