"""Agreements (ABC, GNA, Parenting Contract): terms, dates, signatories, breaches and reviews.

Rules proved here (issue 6 "Agreements ... hold their terms, start and review or end dates,
signatories, and breaches (date, term broken, evidence, response); a review falling due shows on
the case"): an agreement needs the person, at least one term (numbered 1..n), signatories and a
review or end date, none before it starts; a breach names a term of this agreement, on a date while
it was in force, with the evidence and the response; a review moves the review date or ends the
agreement with its outcome; the soonest review counts in the case's ``next_due_at``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case
from haven.common.dates import end_of_day
from haven.common.errors import ApplicationError
from haven.interventions.models import AgreementBreach, AgreementReview, Intervention
from haven.interventions.services.toolkit import intervention_record
from haven.interventions.services.toolkit_agreements import agreement_breach_record, agreement_review
from haven.interventions.tests.factories import Setting, setting

pytestmark = pytest.mark.django_db


def _day(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def emh(staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    return setting("emh", staff, make_user)


def abc(s: Setting, **changes) -> Intervention:  # type: ignore[no-untyped-def]
    values = {
        "code": "acceptable_behaviour_contract", "party": s.reported, "started_on": _day(-20),
        "terms": ["No loud music after 11pm", "No shouting in the stairwell"],
        "signatories": "Dan Reid\nSam Tester (emh)", "review_on": _day(20), "ends_on": _day(160),
    }  # fmt: skip
    values.update(changes)
    return intervention_record(actor=s.officer, case=s.case, **values)


def _refused(call, **values) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError) as refused:
        call(**values)
    return refused.value.fields


def test_an_agreement_keeps_its_numbered_terms_signatories_and_dates(emh) -> None:  # type: ignore[no-untyped-def]
    """Issue 6: an agreement holds its terms, start, review and end dates and signatories."""
    found = abc(emh, terms=["  No loud music after 11pm ", "", "No shouting in the stairwell"])
    assert found.agreement and found.review_on == _day(20) and found.ends_on == _day(160)
    assert [(t.number, t.text) for t in found.terms.all()] == [
        (1, "No loud music after 11pm"),
        (2, "No shouting in the stairwell"),
    ]
    assert found.signatories == "Dan Reid\nSam Tester (emh)"


def test_an_agreement_cannot_end_before_it_starts_or_be_reviewed_before_it(emh) -> None:  # type: ignore[no-untyped-def]
    """Issue 6 "Bad input": "an agreement end before its start" is refused with a clear message."""
    refused = _refused(abc, s=emh, ends_on=_day(-30), review_on=_day(-25))
    assert refused == {
        "ends_on": "The agreement cannot end before it starts.",
        "review_on": "The agreement cannot be reviewed before it starts.",
    }
    assert not Intervention.objects.exists()


def test_an_agreement_needs_the_person_terms_signatories_and_a_review_or_end(emh) -> None:  # type: ignore[no-untyped-def]
    """Without terms there is nothing to breach; without a review or an end it runs for ever."""
    refused = _refused(abc, s=emh, party=None, terms=[], signatories=" ", review_on=None, ends_on=None)
    assert refused == {
        "party": "Choose the person the agreement is with.",
        "terms": "Write at least one term of the agreement, one a line.",
        "signatories": "Say who signed the agreement, one a line.",
        "review_on": "Give the date the agreement will be reviewed, or the date it ends, or both.",
    }
    assert abc(emh, review_on=None).ends_on == _day(160)  # an end date alone will do


def test_a_breach_of_a_term_is_recorded_and_one_after_the_end_is_refused(emh) -> None:  # type: ignore[no-untyped-def]
    """Issue 6: a breach has its date, the term broken, evidence and response; it falls while the
    agreement was in force ("The agreement had ended on ...")."""
    found = abc(emh, started_on=_day(-60), review_on=None, ends_on=_day(-10))
    second = found.terms.get(number=2)
    breach = agreement_breach_record(
        actor=emh.officer, intervention=found, term=second, occurred_on=_day(-15),
        evidence="Diary sheets from two neighbours", response="Warning letter sent",
    )  # fmt: skip
    assert breach.term == second and breach.intervention == found
    refused = _refused(
        agreement_breach_record, actor=emh.officer, intervention=found, term=second, occurred_on=_day(-5),
        evidence="Noise recording", response="Meeting",
    )  # fmt: skip
    ended = _day(-10)
    assert refused == {"occurred_on": f"The agreement had ended on {ended.day} {ended:%b %Y}."}
    refused = _refused(agreement_breach_record, actor=emh.officer, intervention=found, term=None,
                       occurred_on=_day(1), evidence=" ", response="")  # fmt: skip
    assert set(refused) == {"term", "occurred_on", "evidence", "response"}
    assert AgreementBreach.objects.count() == 1
    event = AuditEvent.objects.filter(verb=Verb.AGREEMENT_BREACHED).get()
    assert event.changes["term"] == [None, 2] and "Diary" not in str(event.changes)


def test_a_term_of_another_agreement_is_refused(emh) -> None:  # type: ignore[no-untyped-def]
    """The term broken is one of this agreement's terms."""
    first, other = abc(emh), abc(emh)
    refused = _refused(
        agreement_breach_record, actor=emh.officer, intervention=first, term=other.terms.get(number=1),
        occurred_on=_day(-1), evidence="Seen by staff", response="Letter",
    )  # fmt: skip
    assert refused == {"term": "That is not a term of this agreement."}


def test_a_review_moves_the_review_date_and_the_cases_next_due(emh) -> None:  # type: ignore[no-untyped-def]
    """Issue 6: a review falling due shows on the case and counts in its next due moment
    (``agreement_review_due`` through ``cases.extensions``); reviewing moves it on."""
    found = abc(emh, review_on=_day(-1))
    case = Case.objects.get(pk=emh.case.pk)
    assert case.next_due_at == end_of_day(_day(-1))  # overdue: the soonest thing due
    review = agreement_review(actor=emh.officer, intervention=found, reviewed_on=_day(0),
                              notes="Going well; no new reports", next_review_on=_day(30))  # fmt: skip
    found.refresh_from_db()
    case.refresh_from_db()
    assert review.next_review_on == _day(30) and found.review_on == _day(30)
    assert case.next_due_at is not None and case.next_due_at != end_of_day(_day(-1))
    assert AuditEvent.objects.filter(verb=Verb.AGREEMENT_REVIEWED).get().changes["review_on"] == [
        _day(-1).isoformat(),
        _day(30).isoformat(),
    ]


def test_a_review_sets_the_next_date_after_it_or_ends_the_agreement(emh) -> None:  # type: ignore[no-untyped-def]
    """A review needs the next review date (after it, by the agreement's end) or ends the agreement
    with its outcome; not before the agreement started, not in the future."""
    found = abc(emh)
    refused = _refused(agreement_review, actor=emh.officer, intervention=found, reviewed_on=_day(-30),
                       notes="", next_review_on=None)  # fmt: skip
    assert set(refused) == {"reviewed_on", "notes", "next_review_on"}
    refused = _refused(agreement_review, actor=emh.officer, intervention=found, reviewed_on=_day(0),
                       notes="Fine", next_review_on=_day(200))  # fmt: skip
    ends = _day(160)
    assert refused == {"next_review_on": f"The agreement ends on {ends.day} {ends:%b %Y}: review it by then."}
    refused = _refused(agreement_review, actor=emh.officer, intervention=found, reviewed_on=_day(0),
                       notes="Fine", end=True, next_review_on=_day(5))  # fmt: skip
    assert set(refused) == {"next_review_on", "outcome"}
    agreement_review(actor=emh.officer, intervention=found, reviewed_on=_day(0), notes="Kept to it",
                     end=True, outcome="Kept to every term; no more reports")  # fmt: skip
    found.refresh_from_db()
    assert (found.status, found.ended_on, found.review_on) == ("completed", _day(0), None)
    assert AgreementReview.objects.get().next_review_on is None
    refused = _refused(agreement_review, actor=emh.officer, intervention=found, reviewed_on=_day(0),
                       notes="Again", next_review_on=_day(9))  # fmt: skip
    assert refused == {"reviewed_on": "This agreement has already ended; there is nothing to review."}


def test_a_tool_that_is_not_an_agreement_has_no_breaches_or_reviews(emh) -> None:  # type: ignore[no-untyped-def]
    """Only an agreement has terms to break."""
    letter = intervention_record(actor=emh.officer, case=emh.case, code="warning_letter", started_on=_day(0))
    with pytest.raises(ApplicationError, match="is not an agreement"):
        agreement_review(actor=emh.officer, intervention=letter, reviewed_on=_day(0), notes="x", end=True,
                         outcome="y")  # fmt: skip
