from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "haven.register"
    label = "register"
    verbose_name = "Register of properties and people"
