"""Closures, their sign-off, and complaints through the API (issue 7)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
