from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PassengersConfig(AppConfig):
    name = "aircop.passengers"
    label = "passengers"
    verbose_name = _("Passenger data")

    def ready(self):
        from aircop.passengers import selectors, tasks  # noqa: F401  visibility policies, task handlers
