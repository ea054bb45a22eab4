"""Reading a case's notes. Sensitive notes are in the secure area (WWH 3.0): only the case's
officer, ASB specialists and team managers read them (``can_view_sensitive``), and each page view
that shows any is audited once (SENSITIVE_NOTES_VIEWED). Others learn only how many there are."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from haven.accounts.models import User
from haven.accounts.permissions import can_view_case, can_view_sensitive
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, Note


@dataclass(frozen=True)
class CaseNotes:
    notes: list[Note]  # newest first; sensitive ones only for those who may read them
    withheld: int  # sensitive notes this user may not read
    may_see_sensitive: bool


def case_notes(*, user: User, case: Case, via: str = "web") -> CaseNotes:
    """The notes of a case the user can see, in one query (two when sensitive ones are shown: the
    audit event)."""
    if not can_view_case(user, case):
        return CaseNotes([], 0, False)
    allowed = can_view_sensitive(user, case)
    rows = list(Note.objects.filter(case=case).select_related("author").order_by("-created_at", "-pk"))
    shown = [n for n in rows if allowed or not n.sensitive]
    if allowed and any(n.sensitive for n in rows):
        with transaction.atomic():
            audit_record(
                actor=user, verb=Verb.SENSITIVE_NOTES_VIEWED, target=case, via=via,
                changes={"notes": [None, sorted(n.pk for n in rows if n.sensitive)]},
            )  # fmt: skip
    return CaseNotes(shown, len(rows) - len(shown), allowed)
