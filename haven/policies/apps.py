from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "haven.policies"
    label = "policies"

    def ready(self) -> None:
        from haven.policies.registry import profiles

        # A broken profile must stop start-up with the loader's message (haven.cli prints it).
        profiles()
