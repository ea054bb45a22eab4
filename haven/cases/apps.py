from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "haven.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        # The register's property and person pages list cases through its section hook.
        from haven.cases import register_sections  # noqa: F401
