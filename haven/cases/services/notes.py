"""Case notes. A sensitive note is in the secure area (WWH 3.0: "a 'Secure' area for any sensitive
documentation"): it is written like any note, and read only as ``selectors.notes`` allows."""

from __future__ import annotations

from django.db import transaction

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, Note
from haven.cases.services.core import case_refresh
from haven.common.errors import ApplicationError

NOTE_LIMIT = 10000  # default: not in seed; a longer account belongs in a file on the case


@transaction.atomic
def note_add(*, actor: User, case: Case, text: str, sensitive: bool = False, via: str = "web") -> Note:
    """Add a note to a case, open or closed (what was learnt after closure is worth keeping too).
    Whoever may work on the case may write one; the audit event says whether it is sensitive and
    never copies its text."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot add notes to this case.")
    text = text.strip()
    if not text:
        raise ApplicationError("Write the note.", fields={"text": "Write the note."})
    if len(text) > NOTE_LIMIT:
        message = "Write the note in no more than 10,000 characters, or add it to the case as a file."
        raise ApplicationError(message, fields={"text": message})
    note = Note.objects.create(case=case, text=text, sensitive=sensitive, author=actor)
    case_refresh(case, activity_at=note.created_at)
    audit_record(
        actor=actor, verb=Verb.NOTE_ADDED, target=case, via=via,
        changes={"note": [None, note.pk], "sensitive": [None, sensitive]},
    )  # fmt: skip
    return note
