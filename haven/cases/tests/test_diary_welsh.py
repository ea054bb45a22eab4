"""The reporter's diary page in Welsh and English for a landlord in Wales (wwh; WWH 2.0), chosen as
on the public report form: ``?lang=cy`` / ``?lang=en`` kept in the session, else the browser's
Accept-Language. Landlords in England (emh here) show no language switch and stay in English.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.cases.models import Case, Incident
from haven.cases.services.diary import diary_link_revoke
from haven.cases.tests.evidence_factories import any_case
from haven.cases.tests.factories import text
from haven.cases.tests.test_diary_link import entry, send
from haven.common.languages import SESSION_LANGUAGE

Staff = Callable[[str], tuple[Landlord, User, User]]


def diary_for(staff: Staff, policy_id: str, capture: Any) -> tuple[User, Case, str]:
    landlord, adviser, officer = staff(policy_id)
    case = any_case(landlord, adviser, officer)
    _, path = send(officer, case, capture)
    return officer, case, path


def test_a_welsh_landlords_diary_is_in_welsh_when_asked_and_the_choice_is_kept(
    staff: Staff, django_capture_on_commit_callbacks: Any
) -> None:
    _, case, path = diary_for(staff, "wwh", django_capture_on_commit_callbacks)
    client = Client()
    page = text(client.get(f"{path}?lang=cy"))
    assert '<html lang="cy"' in page
    assert "Ychwanegu at eich dyddiadur" in page and "Anfon y cofnod hwn" in page
    assert f"Achos {case.reference}" in page and "Amira" in page
    assert 'href="?lang=en"' in page and "Add to your diary" not in page
    assert client.session[SESSION_LANGUAGE] == "cy"

    again = text(client.get(path))  # no ?lang: the session keeps Welsh
    assert '<html lang="cy"' in again and "Ychwanegu at eich dyddiadur" in again

    english = text(client.get(f"{path}?lang=en"))
    assert '<html lang="en"' in english and "Add to your diary" in english
    assert 'href="?lang=cy"' in english and "Cymraeg" in english
    assert client.session[SESSION_LANGUAGE] == "en"


def test_the_browsers_language_is_followed_without_a_choice(
    staff: Staff, django_capture_on_commit_callbacks: Any
) -> None:
    _, _, path = diary_for(staff, "wwh", django_capture_on_commit_callbacks)
    page = text(Client().get(path, HTTP_ACCEPT_LANGUAGE="cy,en-GB;q=0.8"))
    assert '<html lang="cy"' in page and "Anfon y cofnod hwn" in page
    page = text(Client().get(path))
    assert '<html lang="en"' in page and "Send this entry" in page


def test_a_bad_entry_in_welsh_gets_welsh_errors(staff: Staff, django_capture_on_commit_callbacks: Any) -> None:
    _, _, path = diary_for(staff, "wwh", django_capture_on_commit_callbacks)
    client = Client()
    client.get(f"{path}?lang=cy")
    response = client.post(path, entry(description=""))
    assert response.status_code == 400
    page = text(response)
    assert '<html lang="cy"' in page and "Mae problem" in page and "Gwall:" in page
    assert "Dywedwch wrthym beth ddigwyddodd." in page and "Tell us what happened" not in page

    response = client.post(path, entry(day=31, month=2))
    assert "Rhowch ddyddiad go iawn, fel 27 3 2026." in text(response)

    future = timezone.localtime() + timedelta(days=3)  # the service's check, in Welsh too
    response = client.post(path, entry(day=future.day, month=future.month, year=future.year))
    assert "y digwyddodd fod yn y dyfodol." in text(response)
    assert not Incident.objects.exists()


def test_a_welsh_entry_is_sent_and_confirmed_in_welsh(staff: Staff, django_capture_on_commit_callbacks: Any) -> None:
    _, case, path = diary_for(staff, "wwh", django_capture_on_commit_callbacks)
    client = Client()
    client.get(f"{path}?lang=cy")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, entry())
    assert response.status_code == 303
    page = text(client.get(response["Location"]))
    assert '<html lang="cy"' in page and "Cofnod dyddiadur wedi" in page and case.reference in page
    assert Incident.objects.count() == 1


def test_a_withdrawn_welsh_link_says_so_in_welsh(staff: Staff, django_capture_on_commit_callbacks: Any) -> None:
    officer, case, path = diary_for(staff, "wwh", django_capture_on_commit_callbacks)
    diary_link_revoke(actor=officer, link=case.diary_links.get())
    response = Client().get(f"{path}?lang=cy")
    assert response.status_code == 410
    page = text(response)
    assert '<html lang="cy"' in page and "ddolen hon yn gweithio mwyach" in page
    assert "Tai Wales & West" in page


@pytest.mark.parametrize("asked", ["?lang=cy", ""])
def test_an_english_landlords_diary_has_no_switch_and_stays_english(
    staff: Staff, django_capture_on_commit_callbacks: Any, asked: str
) -> None:
    _, _, path = diary_for(staff, "emh", django_capture_on_commit_callbacks)
    client = Client()
    page = text(client.get(f"{path}{asked}", HTTP_ACCEPT_LANGUAGE="cy"))
    assert '<html lang="en"' in page and "Add to your diary" in page and "Send this entry" in page
    assert "?lang=" not in page and "Cymraeg" not in page and 'name="lang"' not in page
    assert SESSION_LANGUAGE not in client.session
    response = client.post(path, entry(description="", lang="cy"))
    assert "Tell us what happened" in text(response)


def test_a_file_that_is_not_allowed_is_refused_in_welsh(staff: Staff, django_capture_on_commit_callbacks: Any) -> None:
    """The content check's message (common.files) is the public form's, translated the same way."""
    _, _, path = diary_for(staff, "wwh", django_capture_on_commit_callbacks)
    client = Client()
    client.get(f"{path}?lang=cy")
    response = client.post(path, {**entry(), "evidence": SimpleUploadedFile("x.svg", b"<svg></svg>")})
    assert response.status_code == 400
    assert "Nid yw x.svg yn fath o ffeil rydym yn ei derbyn" in text(response)
    assert not Incident.objects.exists()
