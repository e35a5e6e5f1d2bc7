from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "aircop.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self):
        from aircop.passengers.retention import retention_applied
        from aircop.screening import runner, selectors, selectors_hits, selectors_rules, tasks  # noqa: F401  visibility, task handlers

        retention_applied.connect(runner.forget_retired_travellers, dispatch_uid="screening.retired")
