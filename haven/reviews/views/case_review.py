"""The ASB Case Review (Community Trigger, 2014 Act s104): local authority areas and their
thresholds, detection, the reporter told of their right, applications and the information pack."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
