"""``Authorization: Bearer <token>`` for staff API tokens (API.md)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from haven.accounts.services import token_authenticate


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        try:
            raw = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The API token is not valid.") from None
        user = token_authenticate(raw=raw)
        if user is None:
            raise exceptions.AuthenticationFailed("The API token is not valid, or has been revoked.")
        return user, None

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="haven"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes the Bearer token in the OpenAPI schema (drf-spectacular finds it by import)."""

    target_class = "haven.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A staff API token: haven token create --user NAME"}
