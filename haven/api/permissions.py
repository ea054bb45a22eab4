"""DRF permission classes; each calls a predicate of haven.accounts.permissions."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from haven.accounts.permissions import can_write, is_landlord_staff


class IsLandlordStaff(BasePermission):
    """Staff of a landlord; writes need a role that may write (auditors only read)."""

    message = "Your role does not allow this."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not is_landlord_staff(request.user):
            return False
        return request.method in SAFE_METHODS or can_write(request.user)  # type: ignore[arg-type]
