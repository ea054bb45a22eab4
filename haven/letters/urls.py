"""The letters pages (issue 8)."""

from haven.letters.views import bundles, letters, templates

app_name = "letters"
urlpatterns = [*letters.urlpatterns, *bundles.urlpatterns, *templates.urlpatterns]
