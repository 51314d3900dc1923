from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "recreg.audit"
    label = "audit"
