from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeizuresConfig(AppConfig):
    name = "aircop.seizures"
    label = "seizures"
    verbose_name = _("Seizures")

    def ready(self):
        from aircop.seizures import selectors, tasks  # noqa: F401  visibility policies, task handlers
