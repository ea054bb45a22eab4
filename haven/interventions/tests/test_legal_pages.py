"""The legal action pages: the part on the case page and each action's own page.

Rules proved here: the part lists each action with its stage and next step (STAGE_HINTS) and a
link to its page, and a form to start one with the Ground 7A condition fields; bad input shows
the form again with the message and nothing saved (never a 500); the action page shows the
assessment form, the approval form only to those who may approve (a team manager, emh 5.5), the
next step's choices (``moves_from``) and the hearing form once the claim is issued; "What is due"
names an action waiting for its assessment or approval and a hearing in the next 14 days; a case
the user may not see is a 404, one they may see but not work a 403; the part costs the same
queries however many actions (two).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.cases.selectors.core import case_detail
from haven.cases.tests.factories import signed_in, text
from haven.common.stale import version_of
from haven.interventions.models import LegalAction, LegalStage
from haven.interventions.services.legal import legal_action_move
from haven.interventions.services.legal_hearings import hearing_add
from haven.interventions.tests.factories import Setting, setting
from haven.interventions.tests.test_legal import REASON, ago, assess, start
from haven.interventions.tests.test_legal_moves import CLAIM, approved, at
from haven.interventions.views.legal import _part

pytestmark = pytest.mark.django_db


@pytest.fixture
def emh(staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    return setting("emh", staff, make_user)


def _d(days_ago: int) -> str:
    return ago(days_ago).strftime("%d/%m/%Y")


def url(s: Setting, action: LegalAction, tail: str = "") -> str:
    return f"/cases/{s.case.reference}/legal/{action.pk}/{tail}"


def test_an_officer_starts_a_legal_action_from_the_case_page(emh: Setting) -> None:
    """The start form: tool, party, reason, date; the Ground 7A fields with their hint; on
    success the action's page, which says the assessment comes next."""
    client = signed_in(emh.officer)
    page = text(client.get(f"/cases/{emh.case.reference}/"))
    assert "Start a legal action" in page and "For Ground 7A only" in page and "Possession proceedings" in page
    data = {
        "legal-start-code": "part1_injunction",
        "legal-start-party": str(emh.reported.pk),
        "legal-start-reason": REASON,
        "legal-start-started_on": _d(2),
    }
    response = client.post(f"/cases/{emh.case.reference}/legal/", data)
    action = LegalAction.objects.get()
    assert response.status_code == 303 and response["Location"] == url(emh, action)
    page = text(client.get(url(emh, action)))
    assert "Record the proportionality assessment" in page and "Record assessment" in page
    assert "Approve legal action" not in page  # considering: nothing to approve yet
    page = text(client.get(f"/cases/{emh.case.reference}/"))
    assert "Part 1 injunction" in page and "Considering" in page and "Assessment needed" in page


def test_bad_start_shows_the_form_again_with_the_messages(emh: Setting) -> None:
    """Bad input: 400, the messages in the error summary, what was typed kept, nothing saved."""
    data = {
        "legal-start-code": "possession_ground_7a",
        "legal-start-party": str(emh.reported.pk),
        "legal-start-reason": "Conviction for drug dealing from the flat",
        "legal-start-started_on": _d(1),
    }
    response = signed_in(emh.officer).post(f"/cases/{emh.case.reference}/legal/", data)
    page = text(response)
    assert response.status_code == 400 and "There is a problem" in page
    assert "needs one of its conditions recorded" in page and "Conviction for drug dealing from the flat" in page
    assert not LegalAction.objects.exists()


def test_the_action_page_takes_it_through_assessment_approval_claim_and_hearing(emh: Setting) -> None:
    """The page's forms in turn: the assessment, the approval (shown only to a manager), the next
    step and a hearing; each refusal is the form again with its message."""
    action = start(emh)
    officer, manager = signed_in(emh.officer), signed_in(emh.manager)
    assessment = {
        f"assessment-{k}": v
        for k, v in {
            "legitimate_aim": "Protect neighbours",
            "less_intrusive_tried": "Warning letter, ABC",
            "support_needs": "None known",
            "protected_characteristics": "None known",
            "equality_consideration": "No disability known",
            "household_effect": "Lives alone",
            "conclusion": "Proportionate",
            "proportionate": "yes",
            "assessed_on": _d(15),
        }.items()
    }
    bad = officer.post(url(emh, action, "proportionality/"), {**assessment, "assessment-household_effect": ""})
    assert bad.status_code == 400 and "Record the effect on others in the household." in text(bad)
    assert officer.post(url(emh, action, "proportionality/"), assessment).status_code == 303
    assert "Approve legal action" not in text(officer.get(url(emh, action)))
    page = text(manager.get(url(emh, action)))
    assert "Approve legal action" in page and "Proportionate" in page
    refused = officer.post(url(emh, action, "approve/"), {"approval-on": _d(14), "approval-note": "Go"})
    assert refused.status_code == 400 and "Only a team manager can approve this legal action." in text(refused)
    assert manager.post(url(emh, action, "approve/"), {"approval-on": _d(14), "approval-note": "Go"}).status_code == 303
    page = text(officer.get(url(emh, action)))
    assert '<option value="issued">Claim issued</option>' in page and 'value="notice_served"' not in page
    skipped = officer.post(url(emh, action, "move/"), {"move-to": "issued", "move-on": _d(13)})
    assert skipped.status_code == 400 and "Give the court." in text(skipped)
    moved = officer.post(
        url(emh, action, "move/"),
        {"move-to": "issued", "move-on": _d(13), "move-court": "Derby County Court", "move-claim_number": "K1"},
    )
    assert moved.status_code == 303
    early = officer.post(url(emh, action, "hearings/"), {"hearing-on": _d(14), "hearing-kind": "first"})
    assert early.status_code == 400 and "cannot be before the claim was issued" in text(early)
    soon = (timezone.localdate() + timedelta(days=3)).strftime("%d/%m/%Y")
    added = officer.post(
        url(emh, action, "hearings/"), {"hearing-on": soon, "hearing-at_time": "10:30", "hearing-kind": "first"}
    )
    assert added.status_code == 303
    action.refresh_from_db()
    assert action.stage == LegalStage.HEARING
    page = text(officer.get(f"/cases/{emh.case.reference}/"))
    assert "Hearing soon" in page and "first hearing at Derby County Court" in page


def test_approval_due_and_no_hearing_form_before_the_claim(emh: Setting) -> None:
    """ "What is due": an action waiting for approval; the hearing form only once the claim is issued."""
    action = start(emh)
    assess(emh, action)
    client = signed_in(emh.officer)
    assert "Approval needed" in text(client.get(f"/cases/{emh.case.reference}/"))
    page = text(client.get(url(emh, action)))
    assert "Hearings are recorded once the claim is issued." in page and "Record hearing" not in page


def test_unseen_case_is_404_and_a_reader_who_cannot_work_it_is_403(emh: Setting, make_user) -> None:  # type: ignore[no-untyped-def]
    """Pages: 404 for a case the user may not see, 403 for who may see but not write (API.md)."""
    action = start(emh)
    other = make_user(emh.landlord, "officer", username="other-officer")
    assert signed_in(other).get(url(emh, action)).status_code in (404, 200)
    assert signed_in(emh.adviser).post(url(emh, action, "approve/"), {}).status_code == 403
    assert signed_in(emh.officer).get(f"/cases/{emh.case.reference}/legal/{action.pk + 99}/").status_code == 404


def test_the_part_costs_the_same_queries_however_many_actions(emh: Setting) -> None:
    """Queries are bounded (ARCHITECTURE.md 12): the part costs two queries whatever the count."""
    approved_one = approved(emh)
    approved_one = legal_action_move(
        actor=emh.officer, legal_action=approved_one, to="issued", on=ago(13), version=None, **CLAIM
    )
    hearing_add(actor=emh.officer, legal_action=approved_one, at=at(2), kind="first")
    loaded = case_detail(user=emh.officer, reference=emh.case.reference)
    _part(emh.officer, loaded, {})
    with CaptureQueriesContext(connection) as few:
        _part(emh.officer, loaded, {})
    for _ in range(4):
        start(emh)
    with CaptureQueriesContext(connection) as many:
        found = _part(emh.officer, loaded, {})
    assert len(found["legal"]["rows"]) == 5
    assert len(many.captured_queries) == len(few.captured_queries) == 2


def test_a_stale_step_keeps_what_was_typed_and_goes_through_once_checked(emh: Setting) -> None:
    """A stale edit (common.stale) on the action page is refused with the message and the form as
    typed, carrying the action's current version, so that sending it again after checking the other
    person's change records the step (the action plan's pattern)."""
    action = approved(emh)
    old = version_of(action.updated_at)
    legal_action_move(actor=emh.manager, legal_action=action, to=LegalStage.ISSUED, on=ago(13), version=None, **CLAIM)
    officer = signed_in(emh.officer)
    typed = {"move-to": "concluded", "move-on": _d(12), "move-outcome": "Withdrawn: the behaviour stopped",
             "move-version": old}  # fmt: skip
    refused = officer.post(url(emh, action, "move/"), typed)
    page = text(refused)
    assert refused.status_code == 400 and "Withdrawn: the behaviour stopped" in page
    action.refresh_from_db()
    assert action.stage == LegalStage.ISSUED
    current = version_of(action.updated_at)
    assert f'value="{current}"' in page and f'value="{old}"' not in page
    again = officer.post(url(emh, action, "move/"), {**typed, "move-version": current})
    assert again.status_code == 303
    action.refresh_from_db()
    assert action.stage == LegalStage.CONCLUDED
