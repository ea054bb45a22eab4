"""The public pages: no sign-in (each view opts out of the deny-by-default middleware)."""

from django.urls import path

from haven.intake import public_views

app_name = "public"

urlpatterns = [
    path("report/<slug:slug>/", public_views.start, name="start"),
    path("report/<slug:slug>/received/", public_views.received, name="received"),
]
