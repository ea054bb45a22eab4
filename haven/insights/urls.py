"""The insight pages (issue 9)."""

from haven.insights.views import dashboard, tsm

app_name = "insights"
urlpatterns = [*dashboard.urlpatterns, *tsm.urlpatterns]
