"""The interventions and twin track parts of the case page, and an agreement's own page.

The case page parts (registered through ``case_part``): the twin track (emh 4.10: support and
enforcement side by side) and the interventions in place and past with the form to record one
from the profile's toolkit (whg 2.11; pnp 1.3) and to move each on. An agreement (ABC, GNA,
Parenting Contract) has its own page with its terms, dates, signatories, breaches and reviews and
the forms to record a breach and a review.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_view_special_category, can_work_case
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case
from haven.cases.selectors.plans import action_staff
from haven.cases.views.core import add_errors, case_form_post, case_part, forbidden, load_case, see_other, with_errors
from haven.common.errors import ApplicationError
from haven.common.stale import version_of
from haven.interventions.forms.toolkit import BreachForm, InterventionRecordForm, InterventionUpdateForm, ReviewForm
from haven.interventions.models import Intervention
from haven.interventions.selectors.toolkit import (
    InterventionRow,
    case_intervention,
    case_interventions,
    intervention_row,
    twin_track,
)
from haven.interventions.services.toolkit import intervention_record, intervention_update
from haven.interventions.services.toolkit_agreements import agreement_breach_record, agreement_review

SECTION = "#interventions"


def toolkit_due(case: Case, rows: list[InterventionRow], today: date) -> list[dict[str, str]]:
    """The "What is due" items: an agreement's review on its day (yellow) and after it (red)."""
    items: list[dict[str, str]] = []
    if not case.is_open:
        return items
    for row in rows:
        i = row.intervention
        if row.review and i.review_on is not None:
            href = reverse("interventions:intervention", args=[case.reference, i.pk])
            when = f"{i.review_on.day} {i.review_on:%b %Y}"
            if row.review == "overdue":
                items.append({"label": "Agreement review overdue", "colour": "red", "href": href,
                              "text": f"Review the {i.label}: it was due on {when}"})  # fmt: skip
            else:
                items.append({"label": "Agreement review due", "colour": "yellow", "href": href,
                              "text": f"Review the {i.label} today, {when}"})  # fmt: skip
    return items


def _add_form(data: Any, case: Case, user: User | None = None) -> InterventionRecordForm:
    return InterventionRecordForm(
        data, case=case, staff=action_staff(landlord_id=case.landlord_id), profile=landlord_profile(case.landlord),
        user=user,
    )  # fmt: skip


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    profile = landlord_profile(case.landlord)
    today = timezone.localdate()
    rows = case_interventions(case=case, profile=profile, today=today)
    can_work = can_work_case(user, case) and case.is_open
    items: list[dict[str, Any]] = [
        {
            "row": row,
            "active": row.intervention.is_active,
            "form": forms.get(f"intervention_update_{row.intervention.pk}")
            or (InterventionUpdateForm(intervention=row.intervention) if can_work else None),
        }
        for row in rows
    ]
    add_form = forms.get("intervention_add_form")
    if add_form is None and can_work:
        add_form = _add_form(None, case, user)
    track = twin_track(case=case, profile=profile, rows=rows, special=can_view_special_category(user), today=today)
    return {
        "toolkit": {
            "current": [item for item in items if item["active"]],
            "past": [item for item in items if not item["active"]],
            "add_form": add_form,
        },
        "twin_track": track,
        "due": toolkit_due(case, rows, today),
    }


def _back(case: Case) -> str:
    return reverse("cases:case", args=[case.reference]) + SECTION


@require_POST
def intervention_add_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Record an intervention from the profile's toolkit."""

    def act(request: HttpRequest, user: User, case: Case, form: InterventionRecordForm) -> str:
        data = form.cleaned_data
        found = intervention_record(
            actor=user, case=case, code=data["code"], started_on=data["started_on"], party=form.chosen_party(),
            delivered_by=form.chosen_staff(), details=data.get("details") or "", partner=data.get("partner") or "",
            support_given=data.get("support_given") or "", terms=form.term_lines(),
            signatories=data.get("signatories") or "", review_on=data.get("review_on"), ends_on=data.get("ends_on"),
        )  # fmt: skip
        messages.success(request, f"{found.label} recorded.")
        if found.agreement:
            return reverse("interventions:intervention", args=[case.reference, found.pk])
        return _back(case)

    return case_form_post(
        request, reference, may=can_work_case, make_form=_add_form, act=act, form_key="intervention_add_form"
    )


def _found(case: Case, intervention_id: int) -> Intervention:
    found = case_intervention(case=case, intervention_id=intervention_id)
    if found is None:
        raise Http404("No such intervention on this case.")
    return found


@require_POST
def intervention_update_page(request: HttpRequest, reference: str, intervention_id: int) -> HttpResponse:
    """Move an intervention on: completed or ended with its outcome. A stale edit keeps what was typed."""

    def act(request: HttpRequest, user: User, case: Case, form: InterventionUpdateForm) -> str:
        data = form.cleaned_data
        try:
            intervention_update(
                actor=user, intervention=form.intervention, status=data["status"], ended_on=data.get("ended_on"),
                outcome=data.get("outcome") or "", version=data.get("version") or None,
            )  # fmt: skip
        except ApplicationError as error:
            if error.code != "stale":
                raise
            form.renew(version_of(_found(case, intervention_id).updated_at))
            raise ApplicationError(error.message) from None
        messages.success(request, "Intervention updated.")
        return _back(case)

    return case_form_post(
        request, reference, may=can_work_case, act=act, form_key=f"intervention_update_{intervention_id}",
        make_form=lambda data, case: InterventionUpdateForm(data, intervention=_found(case, intervention_id)),
    )  # fmt: skip


# ---- an agreement's own page ------------------------------------------------------------------------


def _agreement_page(
    request: HttpRequest, user: User, case: Case, intervention: Intervention, *, status: int = 200,
    breach_form: BreachForm | None = None, review_form: ReviewForm | None = None,
) -> HttpResponse:  # fmt: skip
    profile = landlord_profile(case.landlord)
    can_work = can_work_case(user, case) and case.is_open and intervention.agreement
    if breach_form is None and can_work:
        breach_form = BreachForm(intervention=intervention)
    if review_form is None and can_work and intervention.is_active:
        review_form = ReviewForm()
    context = {
        "case": case,
        "item": intervention_row(intervention=intervention, profile=profile, today=timezone.localdate()),
        "intervention": intervention,
        "signatories": [line for line in intervention.signatories.splitlines() if line.strip()],
        "breach_form": breach_form,
        "review_form": review_form,
        "error_forms": with_errors(breach_form, review_form),
    }
    return render(request, "interventions/agreement.html", context, status=status)


@require_GET
def intervention_page(request: HttpRequest, reference: str, intervention_id: int) -> HttpResponse:
    """One intervention; for an agreement its terms, dates, signatories, breaches and reviews."""
    user, case, refused = load_case(request, reference)
    if refused is not None:
        return refused
    assert user is not None and case is not None
    return _agreement_page(request, user, case, _found(case, intervention_id))


Act = Callable[[User, Case, Intervention, Any], None]


def _agreement_post(
    request: HttpRequest, reference: str, intervention_id: int, *, make_form: Callable[[Any, Intervention], Any],
    act: Act, form_name: str, done: str,
) -> HttpResponse:  # fmt: skip
    """Load (404 unseen), check (403), parse, act; a problem shows the page again with the form as typed (400)."""
    user, case, refused = load_case(request, reference)
    if refused is not None:
        return refused
    assert user is not None and case is not None
    if not can_work_case(user, case):
        return forbidden(request)
    intervention = _found(case, intervention_id)
    form = make_form(request.POST, intervention)
    if form.is_valid():
        try:
            act(user, case, intervention, form)
            messages.success(request, done)
            return see_other(reverse("interventions:intervention", args=[case.reference, intervention.pk]))
        except ApplicationError as error:
            add_errors(form, error)
    return _agreement_page(request, user, case, _found(case, intervention_id), status=400, **{form_name: form})


@require_POST
def agreement_breach_page(request: HttpRequest, reference: str, intervention_id: int) -> HttpResponse:
    """Record a breach of an agreement."""

    def act(user: User, case: Case, intervention: Intervention, form: BreachForm) -> None:
        data = form.cleaned_data
        agreement_breach_record(
            actor=user, intervention=intervention, term=form.chosen_term(), occurred_on=data["occurred_on"],
            evidence=data["evidence"], response=data["response"],
        )  # fmt: skip

    return _agreement_post(
        request, reference, intervention_id, act=act, form_name="breach_form", done="Breach recorded.",
        make_form=lambda data, intervention: BreachForm(data, intervention=intervention),
    )  # fmt: skip


@require_POST
def agreement_review_page(request: HttpRequest, reference: str, intervention_id: int) -> HttpResponse:
    """Record a review of an agreement: the next review date, or its end."""

    def act(user: User, case: Case, intervention: Intervention, form: ReviewForm) -> None:
        data = form.cleaned_data
        end = data["next"] == "end"
        agreement_review(
            actor=user, intervention=intervention, reviewed_on=data["reviewed_on"], notes=data["notes"],
            next_review_on=None if end else data.get("next_review_on"), end=end, outcome=data.get("outcome") or "",
        )  # fmt: skip

    return _agreement_post(
        request, reference, intervention_id, act=act, form_name="review_form", done="Review recorded.",
        make_form=lambda data, intervention: ReviewForm(data),
    )  # fmt: skip


urlpatterns = [
    path("cases/<str:reference>/interventions/", intervention_add_page, name="intervention-add"),
    path("cases/<str:reference>/interventions/<int:intervention_id>/", intervention_page, name="intervention"),
    path(
        "cases/<str:reference>/interventions/<int:intervention_id>/update/",
        intervention_update_page,
        name="intervention-update",
    ),
    path(
        "cases/<str:reference>/interventions/<int:intervention_id>/breaches/",
        agreement_breach_page,
        name="agreement-breach",
    ),
    path(
        "cases/<str:reference>/interventions/<int:intervention_id>/reviews/",
        agreement_review_page,
        name="agreement-review",
    ),
]
