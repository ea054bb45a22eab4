"""``Idempotency-Key`` for the API's writes (API.md: a retried request with the same key returns the
first result and creates nothing new).

Put :func:`idempotent` on a ``post`` or ``put`` handler of an ``APIView``. When the request carries
the header, then for that user and key:

- the first request runs, and its answer (status and JSON) is kept with the method, the path and a
  SHA-256 of the body's JSON, in the same transaction as the write itself;
- a retry with the same method, path and body gets the kept answer again, with the header
  ``Idempotent-Replayed: true``, and nothing runs;
- the same key with another body, method or path is refused (``422``): a key names one request;
- only answers in the 2xx range are kept: a refused request (``4xx``) leaves no trace, so it can be
  corrected and sent again with the same key;
- a key is remembered for 24 hours (:data:`KEEP_FOR`); older records are removed as new ones come.

Two copies of one request arriving together are safe: the record has a unique constraint on user
and key and is inserted before the write, inside the write's transaction. On PostgreSQL the second
insert waits for the first transaction, then fails, and the second request answers with the first's
result; if that cannot be read yet, it answers ``409`` and the client retries later.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from haven.accounts.models import User
from haven.api.errors import error, errors_body
from haven.api.models import IdempotencyRecord
from haven.api.serializers.register import ApiErrorsSerializer

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX = 200
KEEP_FOR = timedelta(hours=24)

Handler = Callable[..., Response]

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional, at most 200 characters, unique per request (a UUID is ideal). A retry with the same key "
        "and body within 24 hours returns the first answer (with `Idempotent-Replayed: true`) and creates "
        "nothing new; the same key with a different body is refused (422). Refused requests are not kept."
    ),
)
RESPONSES = {
    409: OpenApiResponse(
        ApiErrorsSerializer, description="A request with this Idempotency-Key is still being processed."
    ),
    422: OpenApiResponse(
        ApiErrorsSerializer, description="This Idempotency-Key was already used for a different request."
    ),
}


class _NotKept(Exception):
    """Carries an answer that is not kept (not 2xx) out of the transaction, which is rolled back."""

    def __init__(self, response: Response) -> None:
        super().__init__()
        self.response = response


class _Duplicate(Exception):
    """Another request with the same user and key committed its record first."""


def _refuse(message: str, code: int) -> Response:
    return Response(errors_body([error(HEADER, message)]), status=code)


def _key_problem(key: str) -> str | None:
    if not key.strip():
        return f"The {HEADER} header is empty: send a value, or leave the header out."
    if len(key) > KEY_MAX:
        return f"The {HEADER} is {len(key)} characters long; use at most {KEY_MAX} (a UUID is ideal)."
    if not key.isascii() or not key.isprintable():
        return f"The {HEADER} may hold only printable ASCII characters (a UUID is ideal)."
    return None


def request_fingerprint(request: Request) -> str:
    """SHA-256 of the body's JSON with its keys sorted, so spacing and key order do not matter.

    Reading ``request.data`` here parses the body: malformed JSON is refused as it would be anyway.
    """
    canonical = json.dumps(request.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(record: IdempotencyRecord, *, method: str, path: str, fingerprint: str) -> Response:
    if (record.method, record.path, record.request_sha256) != (method, path, fingerprint):
        return _refuse(
            f"This {HEADER} was already used in the last 24 hours for a different request "
            f"({record.method} {record.path}). Use a new key for a new request.",
            status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if record.status_code is None:
        return _in_progress()
    return Response(record.response, status=record.status_code, headers={REPLAYED_HEADER: "true"})


def _in_progress() -> Response:
    return _refuse(
        f"A request with this {HEADER} is still being processed. Wait a moment, then send it again to get its result.",
        status.HTTP_409_CONFLICT,
    )


def _fresh(user: User, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(user=user, key=key, created_at__gte=timezone.now() - KEEP_FOR).first()


def idempotent(handler: Handler) -> Handler:
    """Honour ``Idempotency-Key`` on an ``APIView`` write handler (see the module docstring)."""

    @functools.wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        problem = _key_problem(key)
        if problem:
            return _refuse(problem, status.HTTP_400_BAD_REQUEST)
        user = request.user
        assert isinstance(user, User)  # the view's permissions have admitted a member of staff
        method, path, fingerprint = request.method or "", request.path, request_fingerprint(request)
        found = _fresh(user, key)
        if found is not None:
            return _replay(found, method=method, path=path, fingerprint=fingerprint)
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.filter(user=user, created_at__lt=timezone.now() - KEEP_FOR).delete()
                try:
                    with transaction.atomic():
                        record = IdempotencyRecord.objects.create(
                            user=user, key=key, method=method, path=path, request_sha256=fingerprint
                        )
                except IntegrityError:
                    raise _Duplicate() from None
                response = handler(view, request, *args, **kwargs)
                if not status.is_success(response.status_code):
                    raise _NotKept(response)
                record.status_code = response.status_code
                record.response = json.loads(JSONRenderer().render(response.data) or b"null")
                record.save(update_fields=["status_code", "response", "updated_at"])
                return response
        except _NotKept as not_kept:
            return not_kept.response
        except _Duplicate:
            found = _fresh(user, key)
            if found is None:
                return _in_progress()
            return _replay(found, method=method, path=path, fingerprint=fingerprint)

    return wrapper
