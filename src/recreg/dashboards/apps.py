from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "recreg.dashboards"
    label = "dashboards"
