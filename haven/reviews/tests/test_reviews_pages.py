"""Case reviews on the pages (issue 7; WWH 5.0, emh 7.1).

Rules proved here: the case page shows the next review date with its tag (and in "What is due"
once due soon or overdue), the past reviews with conclusion and sign-off, and a form with every
question of the landlord's checklist; an officer records a review there; a missing answer or a
closed case answers 400 with the error summary, keeps what was typed and writes nothing; a team
manager signs off (or returns) a review from the page, an officer gets 403 and a manager their
own review refused; who may see but not work the case sees no form and gets 403; the part costs
the same queries for one review or three; ``/reviews/`` lists the reviews overdue and due soon
(and for a manager those awaiting sign-off) by the ``case_review_due`` index, in bounded queries.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.cases.models import Case, SignOff
from haven.cases.selectors import case_detail
from haven.cases.tests.any_profile import noise_case
from haven.cases.tests.factories import signed_in, text
from haven.interventions.tests.factories import Setting, setting
from haven.policies.registry import get_profile
from haven.reviews.models import Review
from haven.reviews.selectors.reviews import cases_review
from haven.reviews.services.reviews import review_record
from haven.reviews.tests.test_reviews_cadence import answers_for
from haven.reviews.tests.test_reviews_service import close
from haven.reviews.views.reviews import _part

pytestmark = pytest.mark.django_db


@pytest.fixture
def emh(staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    return setting("emh", staff, make_user)


def _typed(case: Case, **changes: str) -> dict[str, str]:
    values = {f"answer_{code}": answer for code, answer in answers_for(case).items()}
    values.update({"threshold_met": "no", "conclusion": "continue", "conclusion_note": "Keep the plan going."})
    values.update(changes)
    return {f"review-add-{name}": value for name, value in values.items()}


def _review(actor, case: Case, **changes: Any) -> Review:  # type: ignore[no-untyped-def]
    return review_record(actor=actor, case=case, answers=answers_for(case), conclusion="continue",
                         conclusion_note="Keep the plan going.", **changes)  # fmt: skip


def test_the_case_page_shows_the_review_date_and_the_checklist(emh) -> None:  # type: ignore[no-untyped-def]
    """emh 7.1: the next review date with its tag; the form asks every WWH 5.0 checklist question
    with the four conclusions."""
    page = text(signed_in(emh.officer).get(f"/cases/{emh.case.reference}/"))
    section = page.split('id="reviews"')[1]
    assert "Next review by" in section and "Review scheduled" in section
    form = section.split('id="review-add"')[1].split("</form>")[0]
    for item in get_profile("emh").reviews.checklist:
        assert item.label in form
    for label in ("Continue as planned", "Escalate", "De-escalate", "Close the case"):
        assert label in form
    assert "No reviews recorded yet." in section


def test_an_officer_records_a_review_from_the_case_page(emh) -> None:  # type: ignore[no-untyped-def]
    """WWH 5.0: the review is recorded, the next review date moves, and it waits for sign-off."""
    client = signed_in(emh.officer)
    response = client.post(f"/cases/{emh.case.reference}/reviews/", _typed(emh.case, conclusion="escalate"))
    assert response.status_code == 303 and response["Location"].endswith("#reviews")
    review = Review.objects.get()
    assert (review.conclusion, review.signoff, review.threshold_met) == ("escalate", SignOff.AWAITING, False)
    assert review.answers == answers_for(emh.case)
    page = text(client.get(response["Location"]))
    assert "Review recorded. It now waits for a team manager's sign-off." in page
    rows = page.split('data-testid="reviews"')[1].split("</table>")[0]
    assert "Escalate" in rows and "Awaiting sign-off" in rows and "Keep the plan going." in rows


def test_a_missing_answer_is_shown_with_what_was_typed_and_nothing_is_saved(emh) -> None:  # type: ignore[no-untyped-def]
    """WWH 5.0: every question answered; the error summary links to the blank answer."""
    typed = _typed(emh.case, answer_same_issue="", conclusion_note="Still going on at weekends")
    response = signed_in(emh.officer).post(f"/cases/{emh.case.reference}/reviews/", typed)
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert 'href="#review-add-answer_same_issue"' in page and "Answer the question: What is being reported" in page
    assert "Still going on at weekends" in page and "Answer to duration_pattern" in page
    assert not Review.objects.exists()


def test_reviewing_a_closed_case_from_the_page_is_refused(emh) -> None:  # type: ignore[no-untyped-def]
    """Issue 7 "Bad input": a clear message, nothing changed; the closed case shows no form."""
    close(emh.case, emh.manager)
    client = signed_in(emh.officer)
    page = text(client.get(f"/cases/{emh.case.reference}/"))
    assert 'id="review-add"' not in page and "The case is closed, so it has no review date." in page
    response = client.post(f"/cases/{emh.case.reference}/reviews/", _typed(emh.case))
    assert response.status_code == 400
    assert "This case is closed; reopen it to review it." in text(response)
    assert not Review.objects.exists()


def test_who_cannot_work_the_case_sees_no_form_and_is_refused(emh) -> None:  # type: ignore[no-untyped-def]
    """can_work_case: an adviser sees the review date but no form (403 on POST); another landlord's
    staff get 404."""
    client = signed_in(emh.adviser)
    page = text(client.get(f"/cases/{emh.case.reference}/"))
    assert "Next review by" in page and 'id="review-add"' not in page
    assert client.post(f"/cases/{emh.case.reference}/reviews/", _typed(emh.case)).status_code == 403
    assert not Review.objects.exists()


def test_a_manager_signs_off_a_review_from_the_page(emh) -> None:  # type: ignore[no-untyped-def]
    """reviews.manager_signoff: the manager sees the sign-off form and signs off; the officer does not
    see it and is refused (403)."""
    review = _review(emh.officer, emh.case)
    url = f"/cases/{emh.case.reference}/reviews/{review.pk}/sign-off/"
    officer = signed_in(emh.officer)
    assert f'id="review-{review.pk}-signoff"' not in text(officer.get(f"/cases/{emh.case.reference}/"))
    assert officer.post(url, {f"review-{review.pk}-signoff-decision": "signed_off"}).status_code == 403
    manager = signed_in(emh.manager)
    assert f'id="review-{review.pk}-signoff"' in text(manager.get(f"/cases/{emh.case.reference}/"))
    missing = manager.post(url, {f"review-{review.pk}-signoff-decision": "returned"})
    assert missing.status_code == 400 and "Say what the officer should look at again." in text(missing)
    response = manager.post(url, {f"review-{review.pk}-signoff-decision": "signed_off"})
    assert response.status_code == 303
    review.refresh_from_db()
    assert review.signoff == SignOff.SIGNED_OFF and review.signed_off_by == emh.manager
    assert manager.post(f"/cases/{emh.case.reference}/reviews/{review.pk + 99}/sign-off/", {}).status_code == 404


def test_a_manager_cannot_sign_off_their_own_review_on_the_page(emh) -> None:  # type: ignore[no-untyped-def]
    """WWH 5.0 sign-off: the manager who held the review sees no sign-off form; posting one is refused."""
    review = _review(emh.manager, emh.case)
    client = signed_in(emh.manager)
    assert f'id="review-{review.pk}-signoff"' not in text(client.get(f"/cases/{emh.case.reference}/"))
    response = client.post(
        f"/cases/{emh.case.reference}/reviews/{review.pk}/sign-off/",
        {f"review-{review.pk}-signoff-decision": "signed_off"},
    )
    assert response.status_code == 400 and "another team manager must sign it off" in text(response)
    review.refresh_from_db()
    assert review.signoff == SignOff.AWAITING


def test_an_overdue_review_is_in_what_is_due(emh) -> None:  # type: ignore[no-untyped-def]
    """emh 7.1: a review date passed shows red in "What is due", linking to the reviews."""
    Case.objects.filter(pk=emh.case.pk).update(review_due_at=timezone.now() - timedelta(days=1))
    page = text(signed_in(emh.officer).get(f"/cases/{emh.case.reference}/"))
    due = page.split('data-testid="due"')[1].split("</div>")[0]
    assert "Review overdue" in due and 'href="#reviews"' in due


def test_the_part_costs_the_same_queries_for_one_review_or_three(emh) -> None:  # type: ignore[no-untyped-def]
    """Queries are bounded (ARCHITECTURE.md 12): one query for the reviews whatever their number."""
    _review(emh.officer, emh.case)
    loaded = case_detail(user=emh.manager, reference=emh.case.reference)
    _part(emh.manager, loaded, {})
    with CaptureQueriesContext(connection) as one:
        _part(emh.manager, loaded, {})
    _review(emh.officer, emh.case)
    _review(emh.officer, emh.case)
    with CaptureQueriesContext(connection) as three:
        found = _part(emh.manager, loaded, {})
    assert len(found["reviews"]["rows"]) == 3
    assert all(row["signoff_form"] is not None for row in found["reviews"]["rows"])
    assert len(three.captured_queries) == len(one.captured_queries) == 1


def _overdue(case: Case, days: int = 3) -> None:
    Case.objects.filter(pk=case.pk).update(review_due_at=timezone.now() - timedelta(days=days))


def test_the_list_shows_reviews_overdue_and_due_and_for_a_manager_those_awaiting(emh) -> None:  # type: ignore[no-untyped-def]
    """emh 7.1: overdue (past the date) and due in the next 10 working days, soonest first; a closed
    case is not listed; a team manager also sees reviews awaiting sign-off, the officer does not."""
    late = noise_case(emh.landlord, emh.adviser, emh.officer, reporter_email="late@example.org")
    _overdue(late)
    Case.objects.filter(pk=emh.case.pk).update(review_due_at=timezone.now() + timedelta(days=2))
    later = noise_case(emh.landlord, emh.adviser, emh.officer, reporter_email="later@example.org")
    Case.objects.filter(pk=later.pk).update(review_due_at=timezone.now() + timedelta(days=60))
    closed = close(noise_case(emh.landlord, emh.adviser, emh.officer, reporter_email="c@example.org"), emh.manager)
    _review(emh.officer, later)
    officer_page = text(signed_in(emh.officer).get("/reviews/"))
    overdue = officer_page.split('data-testid="reviews-overdue"')[1].split("</table>")[0]
    due = officer_page.split('data-testid="reviews-due"')[1].split("</table>")[0]
    assert late.reference in overdue and emh.case.reference not in overdue
    assert emh.case.reference in due and late.reference not in due and later.reference not in due
    assert closed.reference not in officer_page
    assert "Awaiting your sign-off" not in officer_page
    manager_page = text(signed_in(emh.manager).get("/reviews/"))
    awaiting = manager_page.split('data-testid="reviews-awaiting"')[1].split("</table>")[0]
    assert later.reference in awaiting


def test_the_list_is_for_staff_and_costs_bounded_queries(emh, client) -> None:  # type: ignore[no-untyped-def]
    """Bounded queries (ARCHITECTURE.md 12): the same count for one overdue case or three; the
    filter is on review_due_at (the case_review_due index); signed out, the page is refused."""
    assert client.get("/reviews/").status_code in (302, 403)
    _overdue(emh.case)
    manager = signed_in(emh.manager)
    manager.get("/reviews/")
    with CaptureQueriesContext(connection) as one:
        assert manager.get("/reviews/").status_code == 200
    for n in range(2):
        _overdue(noise_case(emh.landlord, emh.adviser, emh.officer, reporter_email=f"o{n}@example.org"))
    with CaptureQueriesContext(connection) as three:
        page = text(manager.get("/reviews/"))
    assert page.count("Review overdue") == 3
    assert len(three.captured_queries) == len(one.captured_queries)
    sql = str(cases_review(user=emh.manager, state="overdue", now=timezone.now()).query)
    assert '"review_due_at" <' in sql and '"status" IN' in sql
