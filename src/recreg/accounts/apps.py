from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "recreg.accounts"
    label = "accounts"
