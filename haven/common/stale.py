"""The stale-edit guard: two people editing the same record must not silently overwrite each other.

A form or API body carries the ``updated_at`` it was based on (``version``); the service compares it
with the record's current ``updated_at`` under the row lock and refuses when someone saved since.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from haven.common.errors import ApplicationError


def version_of(updated_at: datetime) -> str:
    """The version token a form or API answer carries: the record's ``updated_at`` in ISO form."""
    return updated_at.isoformat()


def ensure_unchanged(*, current: datetime, seen: str | datetime | None, what: str, field: str = "version") -> None:
    """Refuse a save based on an older copy of the record (``seen`` is the version it was based on).

    ``seen`` of None means the caller did not say (an API client that does not send it): the save
    goes ahead, as the API documents. A version that does not parse is refused the same way.
    """
    if seen is None or seen == "":
        return
    seen_at = seen if isinstance(seen, datetime) else parse_datetime(seen)
    if seen_at is not None and abs((seen_at - current).total_seconds()) < 1e-6:
        return
    changed = timezone.localtime(current)
    message = (
        f"Someone else changed this {what} at {changed:%H:%M} on {changed.day} {changed:%b %Y} while you were "
        "editing it. Nothing was saved: check their change, then make yours again."
    )
    raise ApplicationError(message, fields={field: message}, code="stale")


def renew_version(form: Any, version: str) -> None:
    """After a stale edit is refused: keep what the person typed in ``form`` but carry the record's
    current ``version``, so that sending it again after checking the other person's change goes
    through."""
    data = form.data.copy()  # a QueryDict's copy is mutable; a dict's is a dict
    data[form.add_prefix("version")] = version
    form.data = data


class Renewable:
    """A form mixin: ``form.renew(version)`` is ``renew_version(form, version)``."""

    def renew(self, version: str) -> None:
        renew_version(self, version)
