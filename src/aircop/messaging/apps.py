from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "aircop.messaging"
    label = "messaging"
    verbose_name = _("Alerts and messages")

    def ready(self):
        from aircop.messaging import selectors  # noqa: F401  registers visibility policies
