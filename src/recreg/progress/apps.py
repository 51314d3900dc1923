from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "recreg.progress"
    label = "progress"
