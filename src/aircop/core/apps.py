from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aircop.core"
    label = "core"
