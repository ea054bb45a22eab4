"""The insight pages (issue 9)."""

from haven.insights.views.tsm import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
