"""The satisfaction survey at closure (whg 3.3): invitations, the reporter's signed single-use
link, answers by phone."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
