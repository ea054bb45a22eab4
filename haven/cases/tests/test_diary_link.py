"""The reporter's diary link: sent by e-mail, used without an account, refused when altered,
expired, withdrawn or for a closed case.

Rules proved: the link goes only to a party of the case who is not anonymous and has an e-mail
address; only a SHA-256 of its token is kept; it works for ``casework.diary_link_valid`` (every
profile); it works without signing in and shows only the case reference and the reporter's first
name; an altered link is refused before any database look-up; an expired, withdrawn or
closed-case link gets a plain page with the landlord's phone number (emh has one); entries arrive
as unreviewed diary incidents with their files and reach the evidence inbox; the officer is
e-mailed with no personal data in the subject; entries per link per hour are limited.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case, CaseFile, DiaryLink, Incident, Party, PartyRole
from haven.cases.selectors.incidents import evidence_inbox
from haven.cases.services import diary
from haven.cases.services.diary import diary_link_revoke, diary_link_send
from haven.cases.tests.evidence_factories import any_case, png
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError

Staff = Callable[[str], tuple[Landlord, User, User]]


def send(officer: User, case: Case, capture: Any) -> tuple[DiaryLink, str]:
    """Send the reporter a link; return it and the path from the e-mail."""
    reporter = case.parties.get(role=PartyRole.REPORTER)
    with capture(execute=True):
        link = diary_link_send(actor=officer, case=case, party=reporter, site_url="https://haven.example.org")
    found = re.search(r"https://haven\.example\.org(/diary/[^/\s]+/)", mail.outbox[-1].body)
    assert found is not None
    return link, found.group(1)


def entry(**kwargs: object) -> dict[str, object]:
    day = timezone.localtime() - timedelta(days=1)
    values: dict[str, object] = {
        "day": day.day, "month": day.month, "year": day.year, "at": "22:15", "until": "23:00",
        "location": "Outside my door", "description": "Shouting and kicking the door",
    }  # fmt: skip
    values.update(kwargs)
    return values


@pytest.fixture
def setting(staff: Staff) -> tuple[Landlord, User, User, Case]:
    landlord, adviser, officer = staff("emh")
    officer.email = "officer@example.org"
    officer.save(update_fields=["email"])
    return landlord, adviser, officer, any_case(landlord, adviser, officer)


@pytest.mark.parametrize("policy_id", ["whg", "wwh", "emh", "livv", "pnp"])
def test_the_link_is_emailed_keeps_only_a_hash_and_lasts_as_the_profile_says(
    staff: Staff, policy_id: str, django_capture_on_commit_callbacks: Any
) -> None:
    landlord, adviser, officer = staff(policy_id)
    case = any_case(landlord, adviser, officer)
    link, path = send(officer, case, django_capture_on_commit_callbacks)

    message = mail.outbox[-1]
    assert message.to == ["amira@example.org"] and case.reference in message.subject
    token = diary.signing.TimestampSigner(salt=diary.SALT).unsign(path.split("/")[2]).split(".")[0]
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in link.token_hash
    valid = landlord_profile(landlord).casework.diary_link_valid
    assert valid.unit.value == "calendar_days"
    assert abs(link.expires_at - (link.created_at + timedelta(days=valid.amount))) < timedelta(minutes=1)


def test_the_page_works_without_signing_in_and_shows_only_the_reference_and_first_name(
    setting: tuple, django_capture_on_commit_callbacks: Any
) -> None:
    _, _, officer, case = setting
    Party.objects.create(case=case, role=PartyRole.REPORTED, name="Dominic Reported")
    _, path = send(officer, case, django_capture_on_commit_callbacks)

    page = text(Client().get(path))
    assert case.reference in page and "Amira" in page
    assert "Khan" not in page and "Dominic" not in page and "07700" not in page


def test_an_entry_arrives_unreviewed_with_its_files_reaches_the_inbox_and_tells_the_officer(
    setting: tuple, django_capture_on_commit_callbacks: Any
) -> None:
    _, _, officer, case = setting
    link, path = send(officer, case, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(path, entry(evidence=[png("door.png")]))

    assert response.status_code == 303 and response["Location"].endswith("/sent/")
    incident = Incident.objects.get()
    assert (incident.source, incident.recorded_via, incident.reviewed_at) == ("diary", "diary_link", None)
    assert incident.party_id == link.party_id and incident.diary_link_id == link.pk
    assert incident.occurred_until is not None and incident.occurred_until > incident.occurred_at
    assert CaseFile.objects.get().uploaded_via == "diary_link"
    assert {kind for kind, _, _ in evidence_inbox(user=officer)} == {"incident", "file"}
    told = mail.outbox[-1]
    assert told.to == ["officer@example.org"] and "Amira" not in told.subject and "Shouting" not in told.subject
    assert "Diary entry sent" in text(Client().get(response["Location"]))
    link.refresh_from_db()
    assert link.entries == 1


def test_a_tampered_link_is_refused_before_any_database_look_up(
    setting: tuple, django_capture_on_commit_callbacks: Any
) -> None:
    _, _, officer, case = setting
    _, path = send(officer, case, django_capture_on_commit_callbacks)
    signed = path.split("/")[2]
    tampered = signed[:5] + ("A" if signed[5] != "A" else "B") + signed[6:]
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/diary/{tampered}/")
    assert response.status_code == 404 and "This link does not work" in text(response)
    assert not [q for q in queries if "diarylink" in q["sql"].lower()]
    assert client.post(f"/diary/{tampered}/", entry()).status_code == 404
    assert not Incident.objects.exists()


def test_an_expired_link_is_refused_with_the_landlords_phone_number(
    setting: tuple, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, officer, case = setting
    link, path = send(officer, case, django_capture_on_commit_callbacks)
    later = link.expires_at + timedelta(minutes=1)
    monkeypatch.setattr(diary.timezone, "now", lambda: later)
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path)
    assert response.status_code == 410
    page = text(response)
    assert "has expired" in page and "0300 123 6000" in page  # emh's phone number
    assert not [q for q in queries if "diarylink" in q["sql"].lower()]


def test_a_withdrawn_link_and_a_closed_cases_link_no_longer_work(
    setting: tuple, django_capture_on_commit_callbacks: Any
) -> None:
    _, _, officer, case = setting
    link, path = send(officer, case, django_capture_on_commit_callbacks)
    diary_link_revoke(actor=officer, link=link)
    response = Client().post(path, entry())
    assert response.status_code == 410 and "withdrawn" in text(response)

    _, second = send(officer, case, django_capture_on_commit_callbacks)
    Case.objects.filter(pk=case.pk).update(status="closed")
    assert "has been closed" in text(Client().get(second))
    assert not Incident.objects.exists()


def test_a_bad_entry_keeps_the_answers_and_names_each_problem(
    setting: tuple, django_capture_on_commit_callbacks: Any
) -> None:
    _, _, officer, case = setting
    _, path = send(officer, case, django_capture_on_commit_callbacks)
    future = timezone.localtime() + timedelta(days=3)
    response = Client().post(path, entry(day=future.day, month=future.month, year=future.year, description=""))
    assert response.status_code == 400
    page = text(response)
    assert "Tell us what happened" in page and "Outside my door" in page and 'href="#diary-description"' in page
    response = Client().post(path, entry(evidence=[SimpleUploadedFile("x.svg", b"<svg></svg>")]))
    assert response.status_code == 400 and "x.svg is not a type of file we accept" in text(response)
    response = Client().post(path, entry(day=31, month=2))
    assert "Enter a real date" in text(response)
    assert not Incident.objects.exists() and not CaseFile.objects.exists()


def test_entries_per_link_per_hour_are_limited(
    setting: tuple, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, officer, case = setting
    _, path = send(officer, case, django_capture_on_commit_callbacks)
    monkeypatch.setattr(diary, "ENTRIES_PER_HOUR", 2)
    client = Client()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(path, entry()).status_code == 303
    response = client.post(path, entry())
    assert response.status_code == 429 and "0300 123 6000" in text(response)
    assert Incident.objects.count() == 2


@pytest.mark.parametrize("problem", ["anonymous", "no_email", "other_case"])
def test_a_link_needs_a_reachable_party_of_the_case(setting: tuple, staff: Staff, problem: str) -> None:
    landlord, adviser, officer, case = setting
    reporter = case.parties.get(role=PartyRole.REPORTER)
    if problem == "anonymous":
        Party.objects.filter(pk=reporter.pk).update(anonymous=True)
    elif problem == "no_email":
        Party.objects.filter(pk=reporter.pk).update(email="")
    else:
        reporter = any_case(landlord, adviser, officer).parties.get(role=PartyRole.REPORTER)
    reporter.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        diary_link_send(actor=officer, case=case, party=reporter, site_url="https://haven.example.org")
    assert "party" in refused.value.fields
    assert not DiaryLink.objects.exists() and not mail.outbox


def test_an_adviser_cannot_send_a_link_and_the_staff_page_sends_one(setting: tuple) -> None:
    _, adviser, officer, case = setting
    reporter = case.parties.get(role=PartyRole.REPORTER)
    assert (
        signed_in(adviser).post(f"/cases/{case.reference}/diary-links/", {"diary-party": reporter.pk}).status_code
        == 403
    )
    response = signed_in(officer).post(f"/cases/{case.reference}/diary-links/", {"diary-party": reporter.pk})
    assert response.status_code == 303
    assert "Working" in text(signed_in(officer).get(f"/cases/{case.reference}/"))
