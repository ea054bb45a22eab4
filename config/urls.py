from django.contrib import admin
from django.urls import include, path

from haven.api.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", include("haven.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("haven.intake.public_urls")),
    path("", include("haven.intake.urls")),
    path("", include("haven.cases.urls")),
    path("", include("haven.interventions.urls")),
    path("", include("haven.reviews.urls")),
    path("", include("haven.insights.urls")),
    path("", include("haven.letters.urls")),
    path("", include("haven.register.urls")),
    path("", include("haven.accounts.urls")),
]

handler404 = "haven.api.views.fallback.not_found"
handler500 = "haven.api.views.fallback.server_error"
