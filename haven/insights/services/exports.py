"""Audit of what leaves Haven from the insight pages (issue 9): case-level exports name no person,
but they are still the landlord's case records, so who took which period is recorded."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from haven.accounts.models import User
from haven.audit.models import Verb
from haven.audit.services import audit_record


@transaction.atomic
def case_export_recorded(*, actor: User, kind: str, start: date, end: date, via: str = "web") -> None:
    """Record that ``actor`` exported the case-level data of a period as ``kind`` (CSV or Excel)."""
    assert actor.landlord is not None
    audit_record(
        actor=actor, verb=Verb.INSIGHT_EXPORTED, target=actor.landlord, via=via,
        label=f"case-level data ({kind}) {start:%d/%m/%Y} to {end:%d/%m/%Y}",
    )  # fmt: skip
