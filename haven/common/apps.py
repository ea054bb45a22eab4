from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "haven.common"
    label = "common"
