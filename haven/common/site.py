"""Where the current request came in (``https://haven.example.org``), for links that a write made
during the request sends later by a background task (the survey link at closure), when the code
that makes the link has no request at hand. Set by ``SiteUrlMiddleware`` for each request (the
host is one ``ALLOWED_HOSTS`` accepts); empty outside a request (a command, a task)."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

_SITE: ContextVar[str] = ContextVar("haven_site_url", default="")


def request_site_url() -> str:
    return _SITE.get()


class SiteUrlMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            site = request.build_absolute_uri("/").rstrip("/")
        except DisallowedHost:
            site = ""
        token = _SITE.set(site)
        try:
            return self.get_response(request)
        finally:
            _SITE.reset(token)
