from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "recreg.frameworks"
    label = "frameworks"
