from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PassengersConfig(AppConfig):
    name = "aircop.passengers"
    label = "passengers"
    verbose_name = _("Passenger data")
