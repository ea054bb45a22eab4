"""Human references from named counters, gap-free within a transaction."""

from __future__ import annotations

from django.db import transaction

from haven.common.models import Sequence


def sequence_next(key: str) -> int:
    """The next number for ``key``; the row is locked until the caller's transaction ends, so two
    reports saved at once never share a reference."""
    with transaction.atomic():
        Sequence.objects.get_or_create(key=key)
        row = Sequence.objects.select_for_update().get(key=key)
        row.last += 1
        row.save(update_fields=["last"])
        return row.last
