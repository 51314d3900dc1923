from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "recreg.findings"
    label = "findings"
