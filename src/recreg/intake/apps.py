from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "recreg.intake"
    label = "intake"
