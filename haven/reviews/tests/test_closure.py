"""Closure (issue 7): the profile's closure conditions, the manager's sign-off, reopening, and
complaints about a case (whg 3.6-3.7).

Rules proved: in every profile, closing records the reason (a code of ``closure.reasons``), the
outcome and resolved or not (pnp 8.2), and keeps the closure conditions as they stood; a blocking
``check`` not met (an open action of the plan, an agreement in place with no review date) refuses
the closure naming it, nothing saved; a ``confirm`` not ticked is kept as not met; an open legal
action refuses the closure; where ``closure.manager_signoff`` the closure waits for a team manager
who did not close it, who signs it off or returns it (the case reopens with the note as its
reason); closed cases reopen with a reason and close again as a new closure; a complaint is
recorded against the case, an outcome complaint signposting the ASB Case Review, and answered.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, CaseStatus, Closure, SignOff, StatusChange
from haven.cases.services.plans import action_add
from haven.cases.services.workflow import case_transition
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError
from haven.interventions.services.legal import legal_action_start
from haven.interventions.services.toolkit import intervention_record
from haven.interventions.tests.factories import Setting, setting
from haven.policies.registry import get_profile
from haven.reviews.models import Complaint, ComplaintStatus
from haven.reviews.services.closure import closure_sign_off, complaint_answer, complaint_record

pytestmark = pytest.mark.django_db
PROFILES = ["whg", "wwh", "emh", "livv", "pnp"]


def day(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def confirms(case: Case) -> list[str]:
    return [c.code for c in get_profile(case.landlord.policy_id).closure.conditions if c.kind == "confirm"]


def close(s: Setting, *, confirmed: list[str] | None = None, actor: Any = None, **changes: Any) -> Case:
    values: dict[str, Any] = {
        "reason": "No incidents for eight weeks", "closure_reason": "resolved", "outcome": "The noise stopped",
        "resolved": True, "confirmed": confirms(s.case) if confirmed is None else confirmed,
    }  # fmt: skip
    values.update(changes)
    return case_transition(actor=actor or s.officer, case=s.case, to=CaseStatus.CLOSED, **values)


@pytest.fixture(params=PROFILES)
def each(request: pytest.FixtureRequest, staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    return setting(request.param, staff, make_user)


@pytest.fixture
def emh(staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    return setting("emh", staff, make_user)


def test_closing_keeps_the_conditions_as_they_stood_in_every_profile(each: Setting) -> None:
    """Closure reason from the profile, outcome, resolved; conditions kept; sign-off as the profile asks."""
    profile = get_profile(each.landlord.policy_id)
    reason = profile.closure.reasons[-1].code
    close(each, closure_reason=reason, confirmed=confirms(each.case)[:1], resolved=False)
    closure = Closure.objects.get(case=each.case)
    assert closure.closure_reason == reason and closure.resolved is False and closure.outcome == "The noise stopped"
    assert [c["code"] for c in closure.conditions] == [c.code for c in profile.closure.conditions]
    met = {c["code"]: c["met"] for c in closure.conditions}
    for code in confirms(each.case):
        assert met[code] is (code == confirms(each.case)[0])
    assert met.get("actions_closed", True) is True
    assert closure.signoff == (SignOff.AWAITING if profile.closure.manager_signoff else SignOff.NOT_NEEDED)


def test_a_reason_not_in_the_profile_is_refused(emh: Setting) -> None:
    with pytest.raises(ApplicationError) as refused:
        close(emh, closure_reason="bored")
    assert "not a closure reason" in refused.value.fields["closure_reason"]
    with pytest.raises(ApplicationError) as refused:
        close(emh, confirmed=["made_up"])
    assert "made_up" in refused.value.fields["confirmed"]
    assert not Closure.objects.exists() and Case.objects.get(pk=emh.case.pk).status == CaseStatus.OPEN


def test_an_open_action_refuses_the_closure_and_nothing_is_saved(each: Setting) -> None:
    """Blocking check actions_closed (every bundled profile): close or finish open actions first."""
    action_add(actor=each.officer, case=each.case, description="Visit the neighbours", owner="landlord",
               owner_user=each.officer, due_on=day(7))  # fmt: skip
    with pytest.raises(ApplicationError, match="open actions"):
        close(each)
    case = Case.objects.get(pk=each.case.pk)
    assert case.status == CaseStatus.OPEN and case.closed_at is None
    assert not Closure.objects.exists() and not StatusChange.objects.filter(case=case).exists()


def test_an_agreement_in_place_without_a_review_refuses_but_one_under_review_does_not(emh: Setting) -> None:
    """Blocking check agreements_ended: every agreement ended or kept under review (a review date)."""
    abc = intervention_record(
        actor=emh.officer, case=emh.case, code="acceptable_behaviour_contract", party=emh.reported, started_on=day(-20),
        terms=["No loud music after 11pm"], signatories="Dan Reid", review_on=None, ends_on=day(160),
    )  # fmt: skip
    with pytest.raises(ApplicationError, match="agreements"):
        close(emh)
    type(abc).objects.filter(pk=abc.pk).update(review_on=day(20))
    close(emh)
    assert Case.objects.get(pk=emh.case.pk).status == CaseStatus.CLOSED


def test_an_open_legal_action_refuses_the_closure(emh: Setting) -> None:
    """Closing with open legal action: a clear message, nothing changed."""
    legal_action_start(actor=emh.officer, case=emh.case, code="part1_injunction", party=emh.reported,
                       reason="Repeated threats", started_on=day(-3))  # fmt: skip
    with pytest.raises(ApplicationError, match=r"(?i)legal"):
        close(emh)
    assert not Closure.objects.exists()


def test_a_manager_signs_off_and_the_closer_cannot(emh: Setting, make_user) -> None:  # type: ignore[no-untyped-def]
    """closure.manager_signoff (emh): a team manager other than the closer signs it off."""
    close(emh, actor=emh.manager)
    closure = Closure.objects.get(case=emh.case)
    with pytest.raises(ApplicationError, match="another team manager"):
        closure_sign_off(actor=emh.manager, closure=closure, decision="signed_off")
    with pytest.raises(ApplicationError, match="Only a team manager"):
        closure_sign_off(actor=emh.officer, closure=closure, decision="signed_off")
    other = make_user(emh.landlord, "manager", username="emh-manager-2")
    done = closure_sign_off(actor=other, closure=closure, decision="signed_off", note="Good work")
    assert done.signoff == SignOff.SIGNED_OFF and done.signed_off_by == other
    assert AuditEvent.objects.filter(verb=Verb.CLOSURE_SIGNED_OFF, object_id=str(emh.case.pk)).count() == 1
    with pytest.raises(ApplicationError, match="not waiting"):
        closure_sign_off(actor=other, closure=closure, decision="returned", note="Changed my mind")


def test_returning_a_closure_reopens_the_case_with_the_note(emh: Setting) -> None:
    """Returned at sign-off: the case reopens, the note is the reason; a note is required."""
    close(emh)
    closure = Closure.objects.get(case=emh.case)
    with pytest.raises(ApplicationError) as refused:
        closure_sign_off(actor=emh.manager, closure=closure, decision="returned", note=" ")
    assert "why" in refused.value.fields["note"]
    closure_sign_off(actor=emh.manager, closure=closure, decision="returned", note="Speak to the reporter first")
    case = Case.objects.get(pk=emh.case.pk)
    assert case.status == CaseStatus.REOPENED
    change = StatusChange.objects.filter(case=case).latest("pk")
    assert "Speak to the reporter first" in change.reason
    closure.refresh_from_db()
    assert closure.signoff == SignOff.RETURNED and closure.reopened_at is not None


def test_reopening_and_closing_again_makes_a_second_closure(emh: Setting) -> None:
    """A closed case reopens with a reason; its next closure is a new row; reopening needs a reason."""
    close(emh)
    with pytest.raises(ApplicationError, match=r"reason|Say why"):
        case_transition(actor=emh.officer, case=emh.case, to=CaseStatus.REOPENED, reason="")
    case_transition(actor=emh.officer, case=emh.case, to=CaseStatus.REOPENED, reason="It started again")
    close(emh, closure_reason="no_further_action")
    closures = list(Closure.objects.filter(case=emh.case).order_by("closed_at"))
    assert len(closures) == 2 and closures[0].reopened_at is not None and closures[1].reopened_at is None
    assert Case.objects.get(pk=emh.case.pk).closure_reason == "no_further_action"


def test_the_case_page_signs_off_and_lists_awaiting_closures(emh: Setting, make_user) -> None:  # type: ignore[no-untyped-def]
    """The page: the manager sees the closure awaiting, the list, and signs it off; others see no form."""
    close(emh)
    manager = signed_in(emh.manager)
    listing = text(manager.get("/closures/awaiting-sign-off/"))
    assert emh.case.reference in listing
    assert signed_in(emh.officer).get("/closures/awaiting-sign-off/").status_code == 403
    officer_page = text(signed_in(emh.officer).get(f"/cases/{emh.case.reference}/"))
    assert "Awaiting sign-off" in officer_page and "Save the decision" not in officer_page
    page = text(manager.get(f"/cases/{emh.case.reference}/"))
    assert "Save the decision" in page
    bad = manager.post(f"/cases/{emh.case.reference}/closure/sign-off/", {"signoff-decision": "returned"})
    assert bad.status_code == 400 and "Say why the case is returned" in text(bad)
    ok = manager.post(f"/cases/{emh.case.reference}/closure/sign-off/", {"signoff-decision": "signed_off"})
    assert ok.status_code == 303
    assert Closure.objects.get(case=emh.case).signoff == SignOff.SIGNED_OFF
    assert emh.case.reference not in text(manager.get("/closures/awaiting-sign-off/"))


def test_a_complaint_is_recorded_answered_and_an_outcome_one_signposts_the_case_review(emh: Setting) -> None:
    """whg 3.6-3.7: complaints on the case; the outcome one points to the ASB Case Review."""
    close(emh)
    complaint = complaint_record(actor=emh.officer, case=emh.case, about="outcome", received_on=day(0),
                                 summary="The noise goes on", party=emh.reporter)  # fmt: skip
    assert complaint.case_review_signposted and complaint.status == ComplaintStatus.OPEN
    handling = complaint_record(actor=emh.officer, case=emh.case, about="handling", received_on=day(0),
                                summary="Nobody called back")  # fmt: skip
    assert not handling.case_review_signposted
    with pytest.raises(ApplicationError) as refused:
        complaint_answer(actor=emh.officer, complaint=complaint, answered_on=day(-400), answer="Explained")
    assert "before the complaint" in refused.value.fields["answered_on"]
    complaint_answer(actor=emh.officer, complaint=complaint, answered_on=day(0), answer="Explained the decision")
    with pytest.raises(ApplicationError, match="already been answered"):
        complaint_answer(actor=emh.officer, complaint=complaint, answered_on=day(0), answer="Again")
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.ANSWERED
    assert AuditEvent.objects.filter(verb=Verb.COMPLAINT_RECORDED).count() == 2


def test_the_complaint_form_keeps_what_was_typed(emh: Setting) -> None:
    """Bad input on the page: the form is kept as typed and nothing saved; then it records."""
    client = signed_in(emh.officer)
    url = f"/cases/{emh.case.reference}/complaints/"
    bad = client.post(url, {"complaint-about": "handling", "complaint-received_on": "31/02/2026",
                            "complaint-summary": "Nobody called back"})  # fmt: skip
    assert bad.status_code == 400 and "Nobody called back" in text(bad) and "DD/MM/YYYY" in text(bad)
    future = client.post(url, {"complaint-about": "handling", "complaint-received_on": day(3).strftime("%d/%m/%Y"),
                               "complaint-summary": "Nobody called back"})  # fmt: skip
    assert future.status_code == 400 and "future" in text(future)
    assert not Complaint.objects.exists()
    ok = client.post(url, {"complaint-about": "handling", "complaint-received_on": day(0).strftime("%d/%m/%Y"),
                           "complaint-summary": "Nobody called back"})  # fmt: skip
    assert ok.status_code == 303
    page = text(client.get(f"/cases/{emh.case.reference}/"))
    assert "Nobody called back" in page and "Complaints Policy" in page
