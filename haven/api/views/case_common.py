"""What the API views of a case's records share: finding the case and its rows (404 for what the
caller may not see), reading the body, and answering a service's refusal (ARCHITECTURE 7: a 4xx
with field errors)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from rest_framework import exceptions
from rest_framework.request import Request

from haven.accounts.models import User
from haven.api.views.cases import _workable
from haven.api.views.reports import Forbidden, application_errors
from haven.cases import selectors
from haven.cases.models import Case
from haven.common.errors import ApplicationError

T = TypeVar("T")
CANNOT_CHANGE = "You cannot change this case."


def visible_case(user: User, reference: str) -> Case:
    """A case the user may see, with its landlord; else 404."""
    case = selectors.cases_for_user(user=user).filter(reference=reference).select_related("landlord").first()
    if case is None:
        raise exceptions.NotFound()
    return case


def workable_case(user: User, reference: str, message: str = CANNOT_CHANGE) -> Case:
    """A case the user may see (else 404) and work on (else 403 with ``message``)."""
    return _workable(user, reference, message)


def or_404(found: T | None) -> T:
    if found is None:
        raise exceptions.NotFound()
    return found


def validated(serializer: Any, request: Request) -> dict[str, Any]:
    """The request's body checked by ``serializer`` (400 with its field errors)."""
    body = serializer(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


@contextmanager
def refusals(names: dict[str, str] | None = None, *, forbidden: bool = False) -> Iterator[None]:
    """A service's ApplicationError as the API's 400 (409 when stale); with ``forbidden``, one with the
    code "forbidden" is a 403."""
    try:
        yield
    except ApplicationError as failure:
        if forbidden and failure.code == "forbidden":
            raise Forbidden(failure.message) from None
        raise application_errors(failure, names) from None
