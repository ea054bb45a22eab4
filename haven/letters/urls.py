"""The letters pages (issue 8)."""

from haven.letters.views import letters, templates

app_name = "letters"
urlpatterns = [*letters.urlpatterns, *templates.urlpatterns]
