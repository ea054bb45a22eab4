"""The one domain error (ARCHITECTURE.md 7)."""

from __future__ import annotations


class ApplicationError(Exception):
    """A rule stopped the operation. ``message`` is written for a housing officer to read.

    ``fields`` maps a form or API field to its own message, when the problem belongs to one.
    """

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})
        self.code = code  # "stale": the record changed since the caller read it (the API answers 409)
