from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "aircop.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self):
        from aircop.screening import selectors  # noqa: F401  visibility policies
