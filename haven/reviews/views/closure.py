"""Closure: the closure conditions and the manager's sign-off of closures, and complaints about a case (whg 3.6-3.7)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
