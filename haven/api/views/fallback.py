"""Error pages: JSON in the API's error format under /api/, HTML pages elsewhere."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from haven.api.errors import error, errors_body


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(errors_body([error(None, "There is no such API address.")]), status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        message = "Something went wrong on our side. Nothing was saved; try again, and tell support if it repeats."
        return JsonResponse(errors_body([error(None, message)]), status=500)
    return render(request, "500.html", status=500)
