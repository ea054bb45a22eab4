"""Case reviews (WWH 5.0) with the manager's sign-off, casework quality reviews (whg 3.5) and
persistent reports (emh 7.8)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
