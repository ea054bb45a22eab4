"""The ASB Case Review through the API: areas and thresholds, detection, notices, applications (issue 7)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
