"""Reading the audit trail, always scoped to the reader's landlord."""

from __future__ import annotations

from django.db.models import QuerySet

from haven.audit.models import AuditEvent


def audit_events_for_landlord(*, landlord_id: int, limit: int = 100) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(landlord_id=landlord_id).select_related("actor")[:limit]


def audit_events_for_object(*, landlord_id: int, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """The trail of one record, oldest first: the source of a case timeline."""
    return (
        AuditEvent.objects.filter(landlord_id=landlord_id, object_type=object_type, object_id=object_id)
        .select_related("actor")
        .order_by("at", "id")
    )
