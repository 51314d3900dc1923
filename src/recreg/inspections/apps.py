from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "recreg.inspections"
    label = "inspections"
