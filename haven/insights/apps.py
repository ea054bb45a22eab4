from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "haven.insights"
    label = "insights"
    verbose_name = "Insight: KPIs and Tenant Satisfaction Measures"
