"""The case's status on the case page: Active / Inactive (WWH 5.0), the closure, and the close and
reopen forms, each calling ``case_transition`` (cases.workflow); the history of the case's closures
with their conditions and sign-off (issue 7), and the profile's closure conditions as they stand
now above the close form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.cases.forms.workflow import CloseForm, ReopenForm
from haven.cases.models import Case, CaseStatus, Closure, SignOff
from haven.cases.selectors.activity import activity_tag
from haven.cases.services.workflow import case_transition, closure_conditions
from haven.cases.views.core import case_form_post, case_part
from haven.cases.workflow import may_reach, move_for


def may_move(user: User, case: Case, to: str) -> bool:
    """Whether the table has a move from the case's status to ``to`` and this user may make it."""
    move = move_for(case.status, to)
    return move is not None and may_post(user, case, to)


def may_post(user: User, case: Case, to: str) -> bool:
    """Whether this user may make some move to ``to`` on this case (whatever its status now: a
    move the status does not allow, such as closing a closed case, is the service's clear refusal)."""
    return can_work_case(user, case) and may_reach(to, role=user.role, is_case_officer=case.officer_id == user.pk)


def closure_history(case: Case) -> list[dict[str, Any]]:
    """The case's closures, newest first, with who closed and signed off (one query)."""
    profile = landlord_profile(case.landlord)
    found = Closure.objects.filter(case=case).select_related("by", "signed_off_by").order_by("-closed_at", "-pk")
    return [
        {"closure": c, "reason": profile.closure.reason_label(c.closure_reason),
         "not_met": [row["label"] for row in c.conditions if row.get("met") is False],
         "awaiting": c.signoff == SignOff.AWAITING and c.reopened_at is None}
        for c in found
    ]  # fmt: skip


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    """The status, the closures (one query) and, with the close form, each ``check`` closure
    condition worked out now (one query each): a fixed number of queries whatever the rows."""
    profile, now = landlord_profile(case.landlord), timezone.now()
    activity = activity_tag(case, profile, now)
    due = []
    if activity["text"] == "Inactive":
        days = profile.casework.inactive_after.amount
        due.append({"label": "Inactive", "colour": "orange", "href": "#timeline",
                    "text": f"No work recorded for over {days} days: review the case (WWH 5.0)"})  # fmt: skip
    may_close, may_reopen = may_move(user, case, CaseStatus.CLOSED), may_move(user, case, CaseStatus.REOPENED)
    close_form = forms.get("close_form") or (CloseForm(profile=profile) if may_close else None)
    return {
        "workflow_activity": activity,
        "workflow_closure_reason": profile.closure.reason_label(case.closure_reason),
        "workflow_closures": closure_history(case) if case.closed_at else [],
        "workflow_conditions": closure_conditions(case, profile) if close_form is not None else [],
        "close_form": close_form,
        "reopen_form": forms.get("reopen_form") or (ReopenForm() if may_reopen else None),
        "due": due,
    }


def _done(request: HttpRequest, case: Case, message: str) -> str:
    messages.success(request, message)
    return reverse("cases:case", args=[case.reference]) + "#status"


@require_POST
def case_close(request: HttpRequest, reference: str) -> HttpResponse:
    """Close the case with why, the outcome and whether the ASB was resolved (pnp 8.2)."""

    def act(request: HttpRequest, user: User, case: Case, form: CloseForm) -> str:
        data = form.cleaned_data
        case_transition(
            actor=user, case=case, to=CaseStatus.CLOSED, reason=data["reason"], closure_reason=data["closure_reason"],
            outcome=data["outcome"], resolved=form.resolved_value(), confirmed=data.get("confirmed") or (),
        )  # fmt: skip
        return _done(request, case, "Case closed.")

    return case_form_post(
        request, reference, may=lambda user, case: may_post(user, case, CaseStatus.CLOSED),
        make_form=lambda data, case: CloseForm(data, profile=landlord_profile(case.landlord)), act=act,
        form_key="close_form",
    )  # fmt: skip


@require_POST
def case_reopen(request: HttpRequest, reference: str) -> HttpResponse:
    """Reopen a closed case, with the reason."""

    def act(request: HttpRequest, user: User, case: Case, form: ReopenForm) -> str:
        case_transition(actor=user, case=case, to=CaseStatus.REOPENED, reason=form.cleaned_data["reason"])
        return _done(request, case, "Case reopened.")

    return case_form_post(
        request, reference, may=lambda user, case: may_post(user, case, CaseStatus.REOPENED),
        make_form=lambda data, case: ReopenForm(data), act=act, form_key="reopen_form",
    )  # fmt: skip
