from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "aircop.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from aircop.accounts import selectors  # noqa: F401  registers visibility policies
