"""The casework quality review pages (whg 3.5) and the persistent reports list (emh 7.8), for team
managers (and, for persistent reports, ASB specialists). Views parse and render; the rules are in
``services.quality`` and ``selectors.quality``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from haven.accounts.models import User
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case
from haven.cases.views.core import add_errors, forbidden, see_other, staff_user, with_errors
from haven.common.errors import ApplicationError
from haven.common.forms import date_field
from haven.policies.schema import PolicyProfile
from haven.reviews.models import PersistentDecision, QualityAnswer
from haven.reviews.selectors.quality import (
    DEFAULT_PERIOD_DAYS,
    default_sample_label,
    may_decide_persistent,
    may_quality_review,
    persistent_decisions,
    persistent_reporters,
    persistent_window_start,
    quality_review_case,
    quality_reviews_for,
    quality_sample,
)
from haven.reviews.services.quality import persistent_decide, quality_review_record

LIST_SIZE = 50


# ---- forms ----------------------------------------------------------------------------------------


class SampleForm(forms.Form):
    """Which sample to draw (whg 3.5): its label (the seed) and the period its cases had work in."""

    sample = forms.CharField(
        label="Sample name", max_length=60, help_text="The same name draws the same cases, for example 2026-12",
        error_messages={"required": "Give the sample a name.", "max_length": "Use no more than 60 characters."},
    )  # fmt: skip
    period_from = date_field("Cases with work from", "Enter the first day of the period.")
    period_to = date_field("to", "Enter the last day of the period.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "sample")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", "The end of the period cannot be before its start.")
        return data


class QualityReviewForm(forms.Form):
    """One answer a question of the profile's quality checklist, with notes and learning (whg 3.5)."""

    sample = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False, max_length=5000)
    learning = forms.CharField(
        label="What the officer or team should learn or change (optional)", widget=forms.Textarea, required=False,
        max_length=5000,
    )  # fmt: skip

    def __init__(self, *args: Any, profile: PolicyProfile, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "quality")
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.checklist = profile.quality_review.checklist
        for item in self.checklist:
            self.fields[f"q_{item.code}"] = forms.ChoiceField(
                label=item.label, choices=QualityAnswer.choices, help_text=item.hint or "",
                error_messages={"required": f"Answer: {item.label}.", "invalid_choice": f"Answer: {item.label}."},
            )  # fmt: skip

    def answers(self) -> dict[str, str]:
        return {item.code: self.cleaned_data[f"q_{item.code}"] for item in self.checklist}

    def question_fields(self) -> list[Any]:
        return [self[f"q_{item.code}"] for item in self.checklist]


class PersistentDecisionForm(forms.Form):
    """The decision on one surfaced reporter (emh 7.8)."""

    reporter = forms.CharField(widget=forms.HiddenInput, error_messages={"required": "Choose a reporter."})
    decision = forms.ChoiceField(
        label="What will be done", choices=PersistentDecision.choices,
        error_messages={"required": "Choose what will be done.", "invalid_choice": "Choose what will be done."},
    )  # fmt: skip
    note = forms.CharField(
        label="Why", widget=forms.Textarea, max_length=5000,
        error_messages={"required": "Say why you made this decision.",
                        "max_length": "Write no more than 5,000 characters here."},
    )  # fmt: skip

    def __init__(self, *args: Any, reporter_id: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"decide-{reporter_id}-%s")  # one form a reporter on the page
        super().__init__(*args, **kwargs)
        if reporter_id:
            self.initial["reporter"] = reporter_id


# ---- /reviews/quality/ ----------------------------------------------------------------------------


def _quality_user(request: HttpRequest) -> User | None:
    user = staff_user(request)
    return user if user is not None and may_quality_review(user) else None


@require_http_methods(["GET"])
def quality_page(request: HttpRequest) -> HttpResponse:
    """The quality reviews made, and the sample named in the query (whg 3.5): team managers."""
    user = _quality_user(request)
    if user is None or user.landlord is None:
        return forbidden(request)
    today = timezone.localdate()
    if "sample-sample" in request.GET:
        form = SampleForm(request.GET)
    else:
        form = SampleForm(initial={
            "sample": default_sample_label(today),
            "period_from": (today - timedelta(days=DEFAULT_PERIOD_DAYS)).strftime("%d/%m/%Y"),
            "period_to": today.strftime("%d/%m/%Y"),
        })  # fmt: skip
    sample = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            sample = quality_sample(
                user=user, label=data["sample"].strip(), period_from=data["period_from"], period_to=data["period_to"]
            )
        else:
            status = 400
    query = request.GET.urlencode()
    context = {
        "form": form,
        "error_forms": with_errors(form),
        "sample": sample,
        "query": query,
        "size": landlord_profile(user.landlord).quality_review.sample_size,
        "reviews": list(quality_reviews_for(user=user)[:LIST_SIZE]),
    }
    return render(request, "reviews/quality.html", context, status=status)


@require_http_methods(["GET", "POST"])
def quality_case_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Score one case against the profile's checklist (whg 3.5); ``?sample=`` names its sample."""
    user = _quality_user(request)
    if user is None:
        return forbidden(request)
    case: Case | None = quality_review_case(user=user, reference=reference)
    if case is None:
        return render(request, "404.html", status=404)
    profile = landlord_profile(case.landlord)
    back = request.GET.get("back", "")
    status = 200
    if request.method == "GET":
        form = QualityReviewForm(profile=profile, initial={"sample": request.GET.get("sample", "")[:60]})
    else:
        form = QualityReviewForm(request.POST, profile=profile)
        if form.is_valid():
            data = form.cleaned_data
            try:
                review = quality_review_record(
                    actor=user, case=case, answers=form.answers(), notes=data["notes"], learning=data["learning"],
                    sample=data["sample"],
                )  # fmt: skip
                messages.success(
                    request, f"Quality review of {case.reference} recorded: {review.score} out of {review.out_of}."
                )
                return see_other(reverse("reviews:quality") + (f"?{back}" if back.startswith("sample-") else ""))
            except ApplicationError as error:
                add_errors(form, error, {item.code: f"q_{item.code}" for item in form.checklist}, general=("sample",))
        status = 400
    context = {"case": case, "form": form, "error_forms": with_errors(form), "back": back}
    return render(request, "reviews/quality_case.html", context, status=status)


# ---- /reviews/persistent/ -------------------------------------------------------------------------


def _persistent_page(
    request: HttpRequest, user: User, failed: PersistentDecisionForm | None = None, status: int = 200
) -> HttpResponse:
    assert user.landlord is not None
    rule = landlord_profile(user.landlord).persistent_reports
    rows = []
    for reporter in persistent_reporters(user=user):
        form = failed if failed is not None and failed.data.get("reporter") == reporter.id else None
        rows.append({"reporter": reporter, "form": form or PersistentDecisionForm(reporter_id=reporter.id)})
    context = {
        "reporters": rows,
        "rule": rule,
        "since": persistent_window_start(landlord=user.landlord),
        "decisions": persistent_decisions(user=user),
        "error_forms": with_errors(failed),
        "failed": failed,
    }
    return render(request, "reviews/persistent.html", context, status=status)


@require_http_methods(["GET", "POST"])
def persistent_page(request: HttpRequest) -> HttpResponse:
    """Reporters with repeated reports already explained as not ASB, for a decision (emh 7.8)."""
    user = staff_user(request)
    if user is None or user.landlord is None or not may_decide_persistent(user):
        return forbidden(request)
    if request.method == "GET":
        return _persistent_page(request, user)
    form = PersistentDecisionForm(request.POST, reporter_id=str(request.POST.get("reporter", ""))[:40])
    if form.is_valid():
        try:
            made = persistent_decide(
                actor=user, reporter=form.cleaned_data["reporter"], decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
            messages.success(request, f"Decision recorded for {made.reporter_label}: {made.get_decision_display()}.")
            return see_other(reverse("reviews:persistent"))
        except ApplicationError as error:
            add_errors(form, error)
    return _persistent_page(request, user, form, status=400)


urlpatterns = [
    path("reviews/quality/", quality_page, name="quality"),
    path("reviews/quality/<str:reference>/", quality_case_page, name="quality-case"),
    path("reviews/persistent/", persistent_page, name="persistent"),
]
