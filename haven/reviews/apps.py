from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "haven.reviews"
    label = "reviews"
    verbose_name = "Reviews, ASB Case Review, survey and complaints"

    def ready(self) -> None:
        # The case page shows this app's parts (cases.views.core.case_part), and a closed case
        # gets its survey invitation (cases.extensions.on_case_closed).
        from haven.reviews import hooks  # noqa: F401
