"""Case reviews, quality reviews and persistent reports through the API (issue 7)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
