"""Reads for case reviews (WWH 5.0; emh 7.1): a case's reviews, the review date's state, and the
manager's lists of reviews overdue, due soon and awaiting sign-off."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet

from haven.accounts.models import User
from haven.accounts.selectors import landlord_calendar
from haven.cases.models import OPEN_STATUSES, Case, SignOff
from haven.cases.selectors import cases_for_user
from haven.common.working_time import TimeUnit
from haven.policies.schema import PolicyProfile
from haven.reviews.models import Review

DUE_SOON_DAYS = 5  # the case page's "What is due" shows a review due within 5 days (or overdue)
MANAGER_DUE_WORKING_DAYS = 10  # the manager's view lists reviews due in the next 10 working days
STATES = ("overdue", "due", "awaiting_signoff")


def review_state(case: Case, now: datetime) -> str | None:
    """``overdue`` past the review date, ``due_soon`` within ``DUE_SOON_DAYS``, ``scheduled``
    later; None when the case has no review date (closed)."""
    if not case.is_open or case.review_due_at is None:
        return None
    if case.review_due_at < now:
        return "overdue"
    if case.review_due_at <= now + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return "scheduled"


def case_reviews(*, case: Case) -> list[Review]:
    """A case's reviews, newest first, with who held and signed them: one query (each review's
    ``case`` is the case given, so asking who may sign it off costs nothing more)."""
    reviews = list(Review.objects.filter(case=case).select_related("by", "signed_off_by").order_by("-held_at", "-pk"))
    for review in reviews:
        review.case = case
    return reviews


def case_review(*, case: Case, review_id: int) -> Review | None:
    """One review of the case (None when it is not one of the case's), its ``case`` the case given."""
    review = Review.objects.filter(case=case, pk=review_id).select_related("by", "signed_off_by").first()
    if review is not None:
        review.case = case
    return review


def due_horizon(user: User, now: datetime) -> datetime:
    """The end of the manager's "due" window: ``MANAGER_DUE_WORKING_DAYS`` working days ahead."""
    assert user.landlord is not None
    return landlord_calendar(user.landlord).add(now, MANAGER_DUE_WORKING_DAYS, TimeUnit.WORKING_DAYS)


def cases_review(*, user: User, state: str, now: datetime, until: datetime | None = None) -> QuerySet[Case]:
    """The open cases the user may see whose review is ``overdue`` (before now) or ``due`` (from now
    to ``until``), soonest first, by the ``case_review_due`` index."""
    cases = cases_for_user(user=user).filter(status__in=OPEN_STATUSES, review_due_at__isnull=False)
    if state == "overdue":
        cases = cases.filter(review_due_at__lt=now)
    else:
        cases = cases.filter(review_due_at__gte=now)
        if until is not None:
            cases = cases.filter(review_due_at__lte=until)
    return cases.select_related("officer").order_by("review_due_at", "pk")


def reviews_awaiting_signoff(*, user: User) -> QuerySet[Review]:
    """The reviews waiting for a manager's sign-off on the cases the user may see, oldest first."""
    return (
        Review.objects.filter(case__in=cases_for_user(user=user), signoff=SignOff.AWAITING)
        .select_related("case", "case__officer", "by", "signed_off_by")
        .order_by("held_at", "pk")
    )


def review_answers(review: Review, profile: PolicyProfile) -> list[tuple[str, str, str]]:
    """The review's answers as ``(code, question, answer)`` in the order of the profile's checklist,
    then any answer to a question the profile no longer asks (PostgreSQL's jsonb keeps no key order)."""
    labels = {item.code: item.label for item in profile.reviews.checklist}
    order = {code: n for n, code in enumerate(labels)}
    codes = sorted(review.answers, key=lambda code: (order.get(code, len(order)), code))
    return [(code, labels.get(code, code.replace("_", " ").capitalize()), str(review.answers[code])) for code in codes]
