"""Partnership meetings (emh 6.2): a case listed for a forum's meeting, and what it decided.

Rules proved here: a case is listed only for a forum of the profile (an agency is refused with a
message saying it is an agency, and a code not in the profile is refused); recording the meeting
adds the actions it agreed to the case's action plan (source "meeting") with a MeetingAction each;
one bad action writes nothing at all (no action, no summary); a meeting in the future cannot have
been held and one not held agrees no actions; a stale record is refused; on the case page the
record form keeps what was typed on an error, and the part costs the same for 1 or 10 meetings.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.cases.models import Action
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError
from haven.common.stale import version_of
from haven.interventions.models import MeetingAction, PartnershipMeeting
from haven.interventions.services.partnership import AgreedAction, meeting_list, meeting_record
from haven.interventions.tests.test_referrals import aged_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _in(days: int):  # type: ignore[no-untyped-def]
    return TODAY() + timedelta(days=days)


def _list(case, officer, **changes) -> PartnershipMeeting:  # type: ignore[no-untyped-def]
    values = {"forum": "marac", "meets_on": TODAY() - timedelta(days=1), "reason": "High risk to the reporter"}
    values.update(changes)
    return meeting_list(actor=officer, case=case, **values)


def test_a_case_is_listed_only_for_a_forum_of_the_profile(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """emh 6.2: partnership meetings are the profile's forums (MARAC, JAG...); the police are an
    agency (refer the case to them), and a code outside the profile is refused."""
    case, officer = aged_case("emh", staff, make_user)
    with pytest.raises(ApplicationError) as agency:
        _list(case, officer, forum="police")
    assert agency.value.fields["forum"].startswith("Police Services is an agency, not a meeting: refer the case")
    assert "Multi Agency Risk Assessment Conference (MARAC)" in agency.value.fields["forum"]
    with pytest.raises(ApplicationError) as unknown:
        _list(case, officer, forum="book_club", meets_on=None, reason="")
    assert set(unknown.value.fields) == {"forum", "meets_on", "reason"}
    assert not PartnershipMeeting.objects.exists()
    meeting = _list(case, officer, forum="jag")
    assert (meeting.forum, meeting.held, meeting.summary) == ("jag", False, "")


def test_the_actions_a_meeting_agreed_join_the_action_plan(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """emh 6.2: the actions from the meeting join the action plan, one MeetingAction each."""
    case, officer = aged_case("emh", staff, make_user)
    meeting = _list(case, officer)
    reporter = case.parties.get(role="reporter")
    agreed = [
        AgreedAction(description="Fit a door camera", owner="landlord", owner_user=officer, due_on=_in(7)),
        AgreedAction(description="Police patrols at night", owner="partner", owner_partner="police", due_on=_in(14)),
        AgreedAction(description="Keep a diary", owner="reporter", owner_party=reporter, due_on=_in(3)),
    ]  # fmt: skip
    recorded = meeting_record(actor=officer, meeting=meeting, held=True, summary="Safety plan agreed",
                              actions=agreed, version=version_of(meeting.updated_at))  # fmt: skip
    assert (recorded.held, recorded.summary) == (True, "Safety plan agreed")
    actions = Action.objects.filter(case=case).order_by("pk")
    assert [(a.description, a.owner, a.source) for a in actions] == [
        ("Fit a door camera", "landlord", "meeting"),
        ("Police patrols at night", "partner", "meeting"),
        ("Keep a diary", "reporter", "meeting"),
    ]
    assert set(MeetingAction.objects.filter(meeting=meeting).values_list("action_id", flat=True)) == {
        a.pk for a in actions
    }


def test_one_bad_action_writes_nothing(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Nothing half-written (issue 6 brief): the second action has no owner, so neither action,
    nor any MeetingAction, nor the summary is saved, and the error names the action."""
    case, officer = aged_case("emh", staff, make_user)
    meeting = _list(case, officer)
    agreed = [
        AgreedAction(description="Fit a door camera", owner="landlord", owner_user=officer, due_on=TODAY()),
        AgreedAction(description="Someone does something", owner="", due_on=TODAY()),
    ]
    with pytest.raises(ApplicationError) as refused:
        meeting_record(actor=officer, meeting=meeting, held=True, summary="Agreed", actions=agreed, version=None)
    assert refused.value.message.startswith("Action 2:")
    assert set(refused.value.fields) == {"actions.1.owner"}
    assert not Action.objects.filter(case=case).exists() and not MeetingAction.objects.exists()
    meeting.refresh_from_db()
    assert (meeting.held, meeting.summary) == (False, "")


def test_a_future_meeting_was_not_held_and_one_not_held_agrees_no_actions(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """emh 6.2: record a meeting once it has met; a case not discussed has no agreed actions; a
    stale record is refused (haven.common.stale)."""
    case, officer = aged_case("wwh", staff, make_user)
    future = _list(case, officer, forum="problem_solving_group", meets_on=TODAY() + timedelta(days=5))
    with pytest.raises(ApplicationError) as refused:
        meeting_record(actor=officer, meeting=future, held=True, summary="Agreed", version=None)
    assert set(refused.value.fields) == {"held"}
    past = _list(case, officer, forum="problem_solving_group")
    action = AgreedAction(description="Visit", owner="landlord", owner_user=officer, due_on=TODAY())
    with pytest.raises(ApplicationError) as refused:
        meeting_record(actor=officer, meeting=past, held=False, summary="Ran out of time", actions=[action],
                       version=None)  # fmt: skip
    assert set(refused.value.fields) == {"actions"}
    seen = version_of(past.updated_at)
    meeting_record(actor=officer, meeting=past, held=False, summary="Ran out of time", version=seen)
    with pytest.raises(ApplicationError) as stale:
        meeting_record(actor=officer, meeting=past, held=True, summary="Discussed", version=seen)
    assert stale.value.code == "stale"


def test_the_record_form_keeps_what_was_typed_on_an_error(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """The case page shows the form again with its errors and the typed values; nothing saved;
    then a good post adds the action to the plan."""
    case, officer = aged_case("emh", staff, make_user)
    meeting = _list(case, officer)
    client = signed_in(officer)
    prefix = f"meeting-{meeting.pk}"
    post = {f"{prefix}-held": "yes", f"{prefix}-summary": "Agreed a safety plan",
            f"{prefix}-action_1_description": "Fit a door camera", f"{prefix}-action_1_owner": f"user:{officer.pk}",
            f"{prefix}-action_1_due_on": "",
            f"{prefix}-version": version_of(meeting.updated_at)}  # fmt: skip
    refused = client.post(f"/cases/{case.reference}/meetings/{meeting.pk}/record/", post)
    page = text(refused)
    assert refused.status_code == 400
    assert "There is a problem" in page and "Enter the date it is due." in page
    assert "Agreed a safety plan" in page and "Fit a door camera" in page
    assert not Action.objects.filter(case=case).exists()
    post[f"{prefix}-action_1_due_on"] = (TODAY() + timedelta(days=7)).strftime("%d/%m/%Y")
    done = client.post(f"/cases/{case.reference}/meetings/{meeting.pk}/record/", post)
    assert done.status_code == 303, text(done)
    assert Action.objects.get(case=case).meeting_link.meeting == meeting
    page = text(client.get(f"/cases/{case.reference}/"))
    assert "Actions agreed (on the action plan)" in page and "Discussed" in page


def test_the_meetings_part_costs_the_same_for_1_or_10_meetings(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Bounded queries (ARCHITECTURE.md 12): meetings and their actions are prefetched."""
    case, officer = aged_case("emh", staff, make_user)
    client = signed_in(officer)

    def one_meeting() -> None:
        meeting = _list(case, officer)
        action = AgreedAction(description="Visit", owner="landlord", owner_user=officer, due_on=TODAY())
        meeting_record(actor=officer, meeting=meeting, held=True, summary="Agreed", actions=[action], version=None)

    one_meeting()
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/cases/{case.reference}/").status_code == 200
    for _ in range(9):
        one_meeting()
    with CaptureQueriesContext(connection) as ten:
        assert client.get(f"/cases/{case.reference}/").status_code == 200
    assert len(ten) == len(one)
