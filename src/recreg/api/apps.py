from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "recreg.api"
    label = "api"
