from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haven.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the trail can be searched here but never edited or deleted."""

    list_display = ("at", "landlord", "actor_label", "verb", "object_type", "object_label", "via")
    list_filter = ("verb", "via", "landlord")
    search_fields = ("actor_label", "object_label", "object_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
