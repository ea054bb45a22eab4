"""Case reviews (WWH 5.0; emh 7.1) on the case page and the landlord's list of reviews due.

The case page part (registered through ``case_part``): the next review date (due soon or overdue
also in "What is due"), the past reviews with their conclusion, answers and sign-off, the form to
record a review against the profile's checklist, and for a team manager the form to sign off a
review that awaits it (``reviews.manager_signoff``). ``/reviews/`` lists the open cases whose
review is overdue or due in the next ``MANAGER_DUE_WORKING_DAYS`` working days, and for a team
manager the reviews awaiting sign-off.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import Role, User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case
from haven.cases.views.core import case_form_post, case_part, day_text, forbidden, staff_user
from haven.reviews.forms.reviews import ReviewForm, SignOffForm
from haven.reviews.models import Conclusion, Review
from haven.reviews.selectors.reviews import (
    MANAGER_DUE_WORKING_DAYS,
    case_review,
    case_reviews,
    cases_review,
    due_horizon,
    review_answers,
    review_state,
    reviews_awaiting_signoff,
)
from haven.reviews.services.reviews import may_sign_off, review_record, review_sign_off

SECTION = "#reviews"
PAGE_SIZE = 50
STATE_TAGS = {
    "overdue": {"text": "Review overdue", "colour": "red"},
    "due_soon": {"text": "Review due", "colour": "yellow"},
    "scheduled": {"text": "Review scheduled", "colour": "blue"},
}
CONCLUSION_COLOURS = {
    Conclusion.CONTINUE: "blue", Conclusion.ESCALATE: "red", Conclusion.DE_ESCALATE: "green", Conclusion.CLOSE: "grey",
}  # fmt: skip
SIGNOFF_COLOURS = {"awaiting": "yellow", "signed_off": "green", "returned": "orange", "not_needed": "grey"}


def _review_form(data: Any, case: Case) -> ReviewForm:
    return ReviewForm(data, profile=landlord_profile(case.landlord))


def _review_due(case: Case, state: str | None) -> list[dict[str, str]]:
    """The "What is due" item: a review overdue (red) or due within ``DUE_SOON_DAYS`` (yellow)."""
    if state not in ("overdue", "due_soon") or case.review_due_at is None:
        return []
    tag = STATE_TAGS[state]
    return [{"label": tag["text"], "colour": tag["colour"], "href": SECTION,
             "text": f"Review the case by {day_text(case.review_due_at)}"}]  # fmt: skip


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    profile = landlord_profile(case.landlord)
    state = review_state(case, timezone.now())
    rows = []
    for review in case_reviews(case=case):
        signoff_form = forms.get(f"review_signoff_{review.pk}")
        if signoff_form is None and may_sign_off(user, review):
            signoff_form = SignOffForm(review=review)
        rows.append(
            {
                "review": review,
                "conclusion_colour": CONCLUSION_COLOURS.get(review.conclusion, "grey"),  # type: ignore[call-overload]
                "signoff_colour": SIGNOFF_COLOURS.get(review.signoff, "grey"),
                "answers": [{"label": label, "text": text} for _, label, text in review_answers(review, profile)],
                "signoff_form": signoff_form,
            }
        )
    form = forms.get("review_form")
    if form is None and can_work_case(user, case) and case.is_open:
        form = _review_form(None, case)
    return {
        "reviews": {
            "state": state,
            "tag": STATE_TAGS.get(state or ""),
            "rows": rows,
            "form": form,
            "signoff_needed": profile.reviews.manager_signoff,
        },
        "due": _review_due(case, state),
    }


def _back(case: Case) -> str:
    return reverse("cases:case", args=[case.reference]) + SECTION


@require_POST
def review_add_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a review of the case against the profile's checklist (WWH 5.0)."""

    def act(request: HttpRequest, user: User, case: Case, form: ReviewForm) -> str:
        data = form.cleaned_data
        review = review_record(
            actor=user, case=case, answers=form.answers(), threshold_met=form.threshold(),
            conclusion=data["conclusion"], conclusion_note=data.get("conclusion_note") or "",
        )  # fmt: skip
        waiting = " It now waits for a team manager's sign-off." if review.signoff == "awaiting" else ""
        messages.success(request, f"Review recorded.{waiting}")
        return _back(case)

    profile_renames: dict[str, str] = {}
    user = staff_user(request)
    if user is not None and user.landlord is not None:
        profile = landlord_profile(user.landlord)
        profile_renames = ReviewForm(profile=profile).renames()
    return case_form_post(
        request, reference, may=can_work_case, make_form=_review_form, act=act, form_key="review_form",
        rename=profile_renames,
    )  # fmt: skip


def _found(case: Case, review_id: int) -> Review:
    found = case_review(case=case, review_id=review_id)
    if found is None:
        raise Http404("No such review on this case.")
    return found


@require_POST
def review_sign_off_page(request: HttpRequest, reference: str, review_id: int) -> HttpResponse:
    """A team manager signs a review off or returns it to the officer (``reviews.manager_signoff``)."""

    def act(request: HttpRequest, user: User, case: Case, form: SignOffForm) -> str:
        data = form.cleaned_data
        done = review_sign_off(actor=user, review=form.review, decision=data["decision"], note=data.get("note") or "")
        messages.success(request, "Review signed off." if done.signoff == "signed_off" else "Review returned.")
        return _back(case)

    return case_form_post(
        request, reference, may=lambda user, case: user.role == Role.MANAGER, act=act,
        form_key=f"review_signoff_{review_id}",
        make_form=lambda data, case: SignOffForm(data, review=_found(case, review_id)),
    )  # fmt: skip


# ---- the list of reviews due -------------------------------------------------------------------------


def _rows(cases: Any, now: datetime) -> list[dict[str, Any]]:
    return [{"case": c, "when": day_text(c.review_due_at), "tag": STATE_TAGS[review_state(c, now) or "scheduled"]}
            for c in cases]  # fmt: skip


@require_GET
def reviews_list_page(request: HttpRequest) -> HttpResponse:
    """The open cases the user may see whose review is overdue, or due in the next
    ``MANAGER_DUE_WORKING_DAYS`` working days (emh 7.1), soonest first, 50 a list, by the
    ``case_review_due`` index; for a team manager also the reviews awaiting their sign-off."""
    user = staff_user(request)
    if user is None or user.landlord is None:
        return forbidden(request)
    now = timezone.now()
    horizon = due_horizon(user, now)
    overdue = Paginator(cases_review(user=user, state="overdue", now=now), PAGE_SIZE).get_page(request.GET.get("page"))
    due = list(cases_review(user=user, state="due", now=now, until=horizon)[:PAGE_SIZE])
    awaiting = (
        [r for r in reviews_awaiting_signoff(user=user)[:PAGE_SIZE] if r.by_id != user.pk]
        if user.role == Role.MANAGER
        else None
    )
    sections = [
        {"id": "overdue", "title": "Overdue", "rows": _rows(overdue, now), "count": overdue.paginator.count,
         "page": overdue, "empty": "No reviews are overdue."},
        {"id": "due", "title": "Due soon", "rows": _rows(due, now), "count": len(due), "page": None,
         "empty": f"No reviews are due in the next {MANAGER_DUE_WORKING_DAYS} working days."},
    ]  # fmt: skip
    context = {
        "sections": sections,
        "horizon": day_text(horizon),
        "working_days": MANAGER_DUE_WORKING_DAYS,
        "awaiting": awaiting,
    }
    return render(request, "reviews/reviews_list.html", context)


urlpatterns = [
    path("cases/<str:reference>/reviews/", review_add_page, name="review-add"),
    path("cases/<str:reference>/reviews/<int:review_id>/sign-off/", review_sign_off_page, name="review-sign-off"),
    path("reviews/", reviews_list_page, name="reviews"),
]
