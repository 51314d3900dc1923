from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "recreg.exports"
    label = "exports"
