"""Case notes and the secure area. Rules proved here:

- WWH 3.0 (a 'Secure' area for sensitive documentation): a sensitive note is read only by the
  case's officer, ASB specialists and team managers; others see "1 sensitive note (restricted)".
- each page view that shows sensitive notes is audited once (SENSITIVE_NOTES_VIEWED), however many.
- the audit trail never holds a note's text; an empty note is refused with nothing written.
- advisers, auditors, officers of other teams and other landlords cannot add notes.
- the notes part costs the same queries however many notes there are.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.accounts.models import Landlord, User
from haven.accounts.permissions import can_view_sensitive
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Note
from haven.cases.services.notes import note_add
from haven.cases.tests.any_profile import PROFILES, noise_case
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]


@pytest.mark.parametrize("policy_id", PROFILES)
def test_a_sensitive_note_is_withheld_from_an_adviser_and_read_by_the_officer(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    case = noise_case(landlord, adviser, officer)
    note_add(actor=officer, case=case, text="Called the reporter back", via="web")
    note_add(actor=officer, case=case, text="GP letter: panic attacks", sensitive=True, via="web")
    as_adviser = text(signed_in(adviser).get(f"/cases/{case.reference}/"))
    assert "Called the reporter back" in as_adviser and "panic attacks" not in as_adviser
    assert "1 sensitive note (restricted)" in as_adviser
    assert not AuditEvent.objects.filter(verb=Verb.SENSITIVE_NOTES_VIEWED).exists()
    as_officer = text(signed_in(officer).get(f"/cases/{case.reference}/"))
    assert "GP letter: panic attacks" in as_officer and "sensitive note (restricted)" not in as_officer
    assert AuditEvent.objects.filter(verb=Verb.SENSITIVE_NOTES_VIEWED, actor=officer).count() == 1


def test_who_may_read_sensitive_notes(staff: Staff, make_user: Callable[..., User]) -> None:
    landlord, adviser, officer = staff("emh")
    case = noise_case(landlord, adviser, officer)
    colleague = make_user(landlord, "officer", username="emh-colleague")
    colleague.team_id = case.team_id
    colleague.save()
    assert can_view_sensitive(officer, case)
    assert can_view_sensitive(make_user(landlord, "specialist"), case)
    assert can_view_sensitive(make_user(landlord, "manager"), case)
    assert not can_view_sensitive(colleague, case)  # a team colleague works the case but not the secure area
    assert not can_view_sensitive(make_user(landlord, "auditor"), case)
    assert not can_view_sensitive(adviser, case)


def test_the_audit_of_a_note_names_it_but_never_copies_its_text(staff: Staff) -> None:
    landlord, adviser, officer = staff("wwh")
    case = noise_case(landlord, adviser, officer)
    note = note_add(actor=officer, case=case, text="Private words", sensitive=True)
    event = AuditEvent.objects.get(verb=Verb.NOTE_ADDED)
    assert event.changes == {"note": [None, note.pk], "sensitive": [None, True]}
    case.refresh_from_db()
    assert case.last_activity_at == note.created_at


def test_an_empty_note_is_refused_and_nothing_is_written(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = noise_case(landlord, adviser, officer)
    with pytest.raises(ApplicationError) as refused:
        note_add(actor=officer, case=case, text="   ")
    assert refused.value.fields == {"text": "Write the note."}
    response = signed_in(officer).post(f"/cases/{case.reference}/notes/", {"note-text": ""})
    assert response.status_code == 400 and 'href="#id_note-text"' in text(response)
    assert not Note.objects.exists() and not AuditEvent.objects.filter(verb=Verb.NOTE_ADDED).exists()


def test_advisers_auditors_other_teams_and_landlords_cannot_add_notes(
    staff: Staff, make_user: Callable[..., User]
) -> None:
    landlord, adviser, officer = staff("emh")
    _, _, stranger = staff("whg")
    case = noise_case(landlord, adviser, officer)
    for who in (adviser, make_user(landlord, "auditor"), make_user(landlord, "officer", username="emh-x"), stranger):
        with pytest.raises(ApplicationError):
            note_add(actor=who, case=case, text="Hello")
    assert signed_in(adviser).post(f"/cases/{case.reference}/notes/", {"note-text": "Hi"}).status_code == 403
    assert signed_in(stranger).post(f"/cases/{case.reference}/notes/", {"note-text": "Hi"}).status_code == 404
    ok = signed_in(officer).post(f"/cases/{case.reference}/notes/", {"note-text": "Hi", "note-sensitive": "on"})
    assert ok.status_code == 303 and Note.objects.get().sensitive


def test_the_notes_part_costs_the_same_queries_however_many_notes(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = noise_case(landlord, adviser, officer)
    client = signed_in(officer)
    note_add(actor=officer, case=case, text="Note 0", sensitive=True)
    client.get(f"/cases/{case.reference}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{case.reference}/")
    for n in range(1, 15):
        note_add(actor=officer, case=case, text=f"Note {n}", sensitive=n % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        page = text(client.get(f"/cases/{case.reference}/"))
    assert "Note 14" in page and "Note 13" in page
    assert len(many.captured_queries) == len(few.captured_queries)
