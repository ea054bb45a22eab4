from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "haven.interventions"
    label = "interventions"
    verbose_name = "Interventions and partnership"

    def ready(self) -> None:
        # The case's next due moment counts agreement reviews and referral answers (cases hook),
        # and the case page shows this app's parts (cases.views.core.case_part).
        from haven.interventions import hooks  # noqa: F401
