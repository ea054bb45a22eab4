"""The API's error format (API.md): ``{"errors": [{"field": ..., "message": ...}]}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from haven.common.errors import ApplicationError

PLAIN_MESSAGES: dict[type[exceptions.APIException], str] = {
    exceptions.NotAuthenticated: "Sign in, or send an API token as: Authorization: Bearer <token>.",
    exceptions.PermissionDenied: "Your role does not allow this.",
    exceptions.NotFound: "There is nothing here, or you do not have access to it.",
    exceptions.ParseError: "The request body is not valid JSON.",
    exceptions.UnsupportedMediaType: "Send the request body as JSON (Content-Type: application/json).",
}


def error(field: str | None, message: str) -> dict[str, Any]:
    return {"field": field, "message": message}


def errors_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"errors": errors}


def flatten(detail: Any, field: str | None = None) -> list[dict[str, Any]]:
    """DRF's nested error detail as one entry per problem, with dotted field names."""
    if isinstance(detail, dict):
        out: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = field if key == "non_field_errors" else (f"{field}.{key}" if field else str(key))
            out.extend(flatten(value, name))
        return out
    if isinstance(detail, list):
        out = []
        for index, item in enumerate(detail):
            if isinstance(item, dict | list) and not _is_message_list(item):
                out.extend(flatten(item, f"{field}[{index}]" if field else str(index)))
            else:
                out.extend(flatten(item, field))
        return out
    return [{"field": field, "message": str(detail)}]


def _is_message_list(value: Any) -> bool:
    return isinstance(value, list) and all(not isinstance(v, dict | list) for v in value)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        errors = [error(k, v) for k, v in exc.fields.items()] or [error(None, exc.message)]
        return Response(errors_body(errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(exc.detail)
    else:
        message = PLAIN_MESSAGES.get(type(exc)) or str(exc.detail)
        errors = [error(None, message)]
    response.data = errors_body(errors)
    return response
