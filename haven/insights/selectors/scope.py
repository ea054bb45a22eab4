"""Which of a landlord's cases a measure covers: all, or one team's or one patch's (issue 9, the
dashboard's filters, which only offer the landlord's own teams and patches). A case's team and
patch are the ones it has now."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    team_id: int | None = None
    patch_id: int | None = None

    def q(self, prefix: str = "") -> Q:
        """The filter on cases, through ``prefix`` (``"case__"`` from a closure)."""
        found = Q()
        if self.team_id is not None:
            found &= Q(**{f"{prefix}team_id": self.team_id})
        if self.patch_id is not None:
            found &= Q(**{f"{prefix}patch_id": self.patch_id})
        return found


ALL = Scope()
