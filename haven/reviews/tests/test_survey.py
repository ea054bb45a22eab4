"""The satisfaction survey at closure (whg 3.3; TSM TP12).

Rules proved: closing a case invites its reporter by their preferred channel (e-mail sends a signed
link through the task worker; a reporter who prefers the phone waits for the officer; an anonymous
one is not invited); the link works without signing in, shows the profile's questions with the
regulator's TP12 wording and the landlord's name, and only the case reference; it works once (a
second use, or two submits, save one answer), until ``survey.link_valid`` (every profile), and an
altered link is refused; a new link withdraws the open one; a bad answer keeps what was typed and
names the problem; staff record answers taken by phone for a closed case only, once per closure;
answers are kept with the TP12 answer apart and the policy version; survey links are not logged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, CaseStatus, Party, PartyRole
from haven.cases.services.workflow import case_transition
from haven.cases.tests.factories import open_case, signed_in, text
from haven.cases.tests.test_workflow import triage_for
from haven.common.errors import ApplicationError
from haven.common.log_hygiene import redact
from haven.policies.registry import get_profile
from haven.policies.reviews_schema import TP12_TEXT
from haven.reviews.models import SurveyChannel, SurveyInvitation, SurveyResponse, SurveyVia
from haven.reviews.services.survey import survey_answer, survey_invitation_send, survey_record

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]
PROFILES = ["whg", "wwh", "emh", "livv", "pnp"]
LINK = re.compile(r"https?://[^/\s]+(/survey/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks: Any) -> None:
    """Closing queues the e-mail for after the commit; tests run it at once."""
    global CAPTURE
    CAPTURE = django_capture_on_commit_callbacks


CAPTURE: Any = None


def close(case: Case, officer: User) -> Case:
    profile = get_profile(case.landlord.policy_id)
    with CAPTURE(execute=True):
        return _close(case, officer, profile)


def _close(case: Case, officer: User, profile: Any) -> Case:
    return case_transition(
        actor=officer, case=case, to=CaseStatus.CLOSED, reason="Quiet for eight weeks", closure_reason="resolved",
        outcome="The noise stopped", resolved=True,
        confirmed=[c.code for c in profile.closure.conditions if c.kind == "confirm"],
    )  # fmt: skip


def closed_case(staff: Staff, policy_id: str = "emh", **triage: object) -> tuple[Case, User]:
    landlord, adviser, officer = staff(policy_id)
    case = open_case(landlord, adviser, officer, **(triage_for(policy_id) | triage))
    mail.outbox.clear()
    return close(case, officer), officer


def emailed_path() -> str:
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    return found.group(1)


def answers(profile_id: str = "emh", **extra: str) -> dict[str, str]:
    return {"tp12": "fairly_satisfied", "kept_informed": "very_satisfied", "comments": "Thank you"} | extra


@pytest.mark.parametrize("policy_id", PROFILES)
def test_closing_emails_the_reporter_a_link_that_lasts_as_the_profile_says(staff: Staff, policy_id: str) -> None:
    """whg 3.3: the survey at closure, by the reporter's e-mail; the link works for survey.link_valid."""
    case, _ = closed_case(staff, policy_id)
    invitation = SurveyInvitation.objects.get(case=case)
    valid = get_profile(policy_id).survey.link_valid
    assert invitation.channel == SurveyChannel.EMAIL and invitation.sent_at is not None
    assert abs(invitation.expires_at - (invitation.created_at + timedelta(days=valid.amount))) < timedelta(hours=2)
    message = mail.outbox[-1]
    assert message.to == ["amira@example.org"] and case.reference in message.subject and "Amira" not in message.subject
    assert AuditEvent.objects.filter(verb=Verb.SURVEY_SENT, object_id=str(case.pk)).exists()
    page = text(Client().get(emailed_path()))
    tp12 = TP12_TEXT.replace("{landlord}", get_profile(policy_id).landlord.short_name)
    assert tp12 in page and case.reference in page and "Amira Khan" not in page and "07700" not in page


def test_the_reporter_answers_once_and_a_second_use_is_refused(staff: Staff) -> None:
    """The link is single use: the answers are saved once with TP12 kept apart; then it is refused."""
    case, _ = closed_case(staff)
    path = emailed_path()
    response = Client().post(path, answers())
    assert response.status_code == 303 and response["Location"].endswith("/thanks/")
    assert "Thank you for your answers" in text(Client().get(response["Location"]))
    saved = SurveyResponse.objects.get(case=case)
    assert saved.tp12 == "fairly_satisfied" and saved.via == SurveyVia.LINK and saved.policy_id == "emh"
    assert saved.answers["comments"] == "Thank you" and saved.closure_id is not None
    again = Client().post(path, answers(tp12="very_dissatisfied"))
    assert again.status_code == 410 and "already been answered" in text(again)
    assert Client().get(path).status_code == 410
    assert SurveyResponse.objects.filter(case=case).count() == 1
    assert SurveyResponse.objects.get(case=case).tp12 == "fairly_satisfied"


def test_an_expired_link_is_refused_and_nothing_saved(staff: Staff) -> None:
    """The link works until survey.link_valid has passed, not after."""
    case, _ = closed_case(staff)
    path = emailed_path()
    SurveyInvitation.objects.filter(case=case).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().post(path, answers())
    assert response.status_code == 410 and "expired" in text(response)
    assert not SurveyResponse.objects.exists()


def test_an_expired_link_is_refused_from_its_signature_alone(staff: Staff, monkeypatch: pytest.MonkeyPatch) -> None:
    """The expiry is signed into the link: refused even if the row were changed."""
    case, _ = closed_case(staff)
    path = emailed_path()
    later = timezone.now() + timedelta(days=40)
    monkeypatch.setattr(timezone, "now", lambda: later)
    SurveyInvitation.objects.filter(case=case).update(expires_at=later + timedelta(days=1))
    assert Client().get(path).status_code == 410


def test_an_altered_link_does_not_work(staff: Staff) -> None:
    """A changed signature is refused as not working, with no case shown."""
    case, _ = closed_case(staff)
    path = emailed_path()
    altered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    response = Client().get(altered)
    assert response.status_code == 404 and "does not work" in text(response) and case.reference not in text(response)
    assert Client().post("/survey/not-a-link/", answers()).status_code == 404


def test_a_new_link_withdraws_the_open_one(staff: Staff) -> None:
    """Sending a new link replaces the open one: the old link no longer works."""
    case, officer = closed_case(staff)
    old = emailed_path()
    with CAPTURE(execute=True):
        survey_invitation_send(actor=officer, case=case, site="https://haven.example.org")
    new = emailed_path()
    assert new != old
    assert Client().get(old).status_code == 410 and Client().get(new).status_code == 200


def test_a_bad_answer_keeps_what_was_typed_and_names_the_problem(staff: Staff) -> None:
    """TP12 is required; a choice must be one shown; nothing is saved and the link still works."""
    closed_case(staff)
    path = emailed_path()
    response = Client().post(path, {"kept_informed": "very_satisfied", "comments": "Kept as typed"})
    page = text(response)
    assert response.status_code == 400 and "There is a problem" in page and "we must ask everyone" in page
    assert "Kept as typed" in page and 'value="very_satisfied" checked' in response.content.decode()
    assert Client().post(path, answers(outcome="brilliant")).status_code == 400
    assert not SurveyResponse.objects.exists()
    assert Client().post(path, answers()).status_code == 303


def test_two_submits_at_once_save_one_answer(staff: Staff) -> None:
    """The invitation is locked when answering: the second of two submits is refused."""
    closed_case(staff)
    signed = emailed_path().split("/")[2]
    survey_answer(signed=signed, answers=answers())
    with pytest.raises(Exception) as refused:
        survey_answer(signed=signed, answers=answers())
    assert getattr(refused.value, "reason", "") == "used"
    assert SurveyResponse.objects.count() == 1


def test_a_reporter_who_prefers_the_phone_waits_for_the_officer_who_records_the_answers(staff: Staff) -> None:
    """No e-mail for a reporter who prefers a call: the officer asks and records the answers."""
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer, **triage_for("emh"))
    Party.objects.filter(case=case, role=PartyRole.REPORTER).update(preferred_contact="phone")
    mail.outbox.clear()
    close(case, officer)
    assert SurveyInvitation.objects.get(case=case).channel == SurveyChannel.PHONE and not mail.outbox
    client = signed_in(officer)
    page = text(client.get(f"/cases/{case.reference}/"))
    assert "Satisfaction survey" in page and "Record answers given by phone or on paper" in page
    bad = client.post(
        f"/cases/{case.reference}/survey/record/", {"survey-via_channel": "phone", "survey-comments": "Typed"}
    )
    assert bad.status_code == 400 and "Typed" in text(bad) and not SurveyResponse.objects.exists()
    good = client.post(f"/cases/{case.reference}/survey/record/",
                       {"survey-via_channel": "phone", "survey-tp12": "very_satisfied"})  # fmt: skip
    assert good.status_code == 303
    saved = SurveyResponse.objects.get(case=case)
    assert saved.via == SurveyVia.PHONE and saved.recorded_by == officer and saved.tp12 == "very_satisfied"
    assert SurveyInvitation.objects.get(case=case).used_at is not None
    with pytest.raises(ApplicationError, match="already answered"):
        survey_record(actor=officer, case=case, answers={"tp12": "very_dissatisfied"})
    assert "Very satisfied" in text(client.get(f"/cases/{case.reference}/"))


def test_an_anonymous_reporter_is_not_invited_and_an_open_case_has_no_survey(staff: Staff) -> None:
    """Nobody to ask: no invitation; the survey is only for a closed case."""
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer, **triage_for("emh"))
    with pytest.raises(ApplicationError, match="closed case"):
        survey_record(actor=officer, case=case, answers=answers())
    with pytest.raises(ApplicationError, match="closed case"):
        survey_invitation_send(actor=officer, case=case)
    Party.objects.filter(case=case, role=PartyRole.REPORTER).update(anonymous=True)
    close(case, officer)
    assert not SurveyInvitation.objects.filter(case=case).exists()
    with pytest.raises(ApplicationError, match="anonymous"):
        survey_invitation_send(actor=officer, case=case)


def test_reopening_and_closing_again_asks_again(staff: Staff) -> None:
    """Each closure has its own survey: after reopening and closing again a new link is sent."""
    case, officer = closed_case(staff)
    first = emailed_path()
    Client().post(first, answers())
    case_transition(actor=officer, case=case, to=CaseStatus.REOPENED, reason="It started again")
    close(case, officer)
    second = emailed_path()
    assert second != first and Client().get(second).status_code == 200
    assert Client().post(second, answers(tp12="very_dissatisfied")).status_code == 303
    assert SurveyResponse.objects.filter(case=case).values("closure").distinct().count() == 2


def test_survey_links_are_not_logged() -> None:
    """The link is the reporter's key: any path holding one is logged as /survey/[link]/."""
    assert redact("GET /survey/abc.def:ghi/ 404") == "GET /survey/[link]/ 404"


def test_a_case_closed_on_the_page_gets_a_link_to_the_site_the_officer_used(staff: Staff) -> None:
    """The link at closure points at the site of the request that closed the case (common.site)."""
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer, **triage_for("emh"))
    mail.outbox.clear()
    body = {"close-closure_reason": "resolved", "close-resolved": "yes", "close-outcome": "Stopped",
            "close-reason": "Quiet", "close-confirmed": ["reporter_told", "risk_reviewed"]}  # fmt: skip
    with CAPTURE(execute=True):
        response = signed_in(officer).post(f"/cases/{case.reference}/close/", body)
    assert response.status_code == 303
    assert re.search(r"http://testserver/survey/[^/\s]+/", str(mail.outbox[-1].body))
