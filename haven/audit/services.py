"""Writing the audit trail. Only :func:`audit_record` writes it."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from haven.audit.models import AuditEvent, Verb


def audit_record(
    *,
    actor: Any | None,
    verb: Verb,
    target: models.Model | None = None,
    landlord_id: int | None = None,
    changes: dict[str, Any] | None = None,
    label: str | None = None,
    via: str = "web",
) -> AuditEvent:
    """Append one event: who did what to which record, and what changed.

    It must run inside the transaction of the change it describes, so that the change and its
    record stand or fall together (ARCHITECTURE.md 2 and 6). ``changes`` holds field names with
    ``[before, after]``; callers leave special category data out of it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the change it records")
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    if landlord_id is None:
        landlord_id = getattr(target, "landlord_id", None) or getattr(actor_user, "landlord_id", None)
    return AuditEvent.objects.create(
        actor=actor_user,
        actor_label=(actor_user.get_username() if actor_user else (str(actor) if actor else "Haven")),
        verb=verb,
        landlord_id=landlord_id,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_label=(label if label is not None else (str(target) if target is not None else ""))[:200],
        changes=changes or {},
        via=via,
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field-by-field ``[before, after]`` for the fields that changed."""
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}
