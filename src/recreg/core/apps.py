from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "recreg.core"
    label = "core"
