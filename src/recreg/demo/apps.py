from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "recreg.demo"
    label = "demo"
