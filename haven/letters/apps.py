from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "haven.letters"
    label = "letters"
    verbose_name = "Letters"

    def ready(self) -> None:
        from haven.letters import hooks  # noqa: F401  (registers the case page part)
