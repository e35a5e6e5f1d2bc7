from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aircop.core"
    label = "core"

    def ready(self):
        from aircop.core import tasks  # noqa: F401  registers the Task visibility policy
