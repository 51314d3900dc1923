from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "recreg.organisations"
    label = "organisations"
