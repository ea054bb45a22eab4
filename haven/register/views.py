"""Register pages: search, property and person (written by the pages work)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def search(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def property_page(request: HttpRequest, reference: str) -> HttpResponse:
    raise NotImplementedError


def person_page(request: HttpRequest, reference: str) -> HttpResponse:
    raise NotImplementedError
