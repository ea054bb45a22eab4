"""The insight pages (issue 9)."""

from haven.insights.views import committee, dashboard, equality, tsm

app_name = "insights"
urlpatterns = [*committee.urlpatterns, *dashboard.urlpatterns, *equality.urlpatterns, *tsm.urlpatterns]
