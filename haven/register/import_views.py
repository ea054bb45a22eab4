"""The administrator's import page (written by the import page work)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def import_start(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def import_status(request: HttpRequest, run_id: int) -> HttpResponse:
    raise NotImplementedError


def import_apply(request: HttpRequest, run_id: int) -> HttpResponse:
    raise NotImplementedError


def import_sample(request: HttpRequest, kind: str) -> HttpResponse:
    raise NotImplementedError
