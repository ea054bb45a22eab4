"""The pages of interventions, legal action and partnership. Each module adds its section to the
case page through ``cases.views.core.case_part`` when imported (from ``hooks``) and has its own
``urlpatterns``."""
