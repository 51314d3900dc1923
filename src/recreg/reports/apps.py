from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "recreg.reports"
    label = "reports"
