from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "recreg.oversight"
    label = "oversight"
