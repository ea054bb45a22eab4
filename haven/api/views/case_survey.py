"""The closure survey through the API: invitations and answers recorded by staff (issue 7)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
