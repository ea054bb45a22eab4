"""Closure on the case page: the manager's sign-off of a closure awaiting it (the profile's
``closure.manager_signoff``), the list of closures awaiting sign-off for team managers, and
complaints about a case with a pointer to the landlord's complaints process and the ASB Case Review
(whg 3.6-3.7). The closures' history and the close form are the case's status part
(cases.views.workflow)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import Role, User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case, SignOff
from haven.cases.views.core import case_form_post, case_part, forbidden, staff_user
from haven.reviews.forms.closure import ComplaintAnswerForm, ComplaintForm, SignOffForm
from haven.reviews.models import Complaint, ComplaintStatus
from haven.reviews.selectors.closure import awaiting_signoff, case_complaints, latest_closure
from haven.reviews.services.closure import closure_sign_off, complaint_answer, complaint_record, may_sign_off

SECTION = "#closure-signoff"
COMPLAINTS = "#complaints"


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    """The sign-off (one query, for a closed case) and the complaints (one query, for caseworkers)."""
    closure = latest_closure(case) if case.closed_at is not None else None
    awaiting = closure is not None and closure.signoff == SignOff.AWAITING and closure.reopened_at is None
    signoff = None
    if awaiting and closure is not None and may_sign_off(user, closure):
        signoff = forms.get("signoff_form") or SignOffForm()
    due = []
    if awaiting:
        due.append({"label": "Awaiting sign-off", "colour": "yellow", "href": SECTION,
                    "text": "The closure waits for a team manager's sign-off"})  # fmt: skip
    complaints: dict[str, Any] | None = None
    if can_work_case(user, case):
        rows = case_complaints(case)
        answering = forms.get("answer_form")

        def answer_form(c: Complaint) -> ComplaintAnswerForm | None:
            if answering is not None and answering.prefix == f"answer-{c.pk}":
                return answering
            return ComplaintAnswerForm(complaint_id=c.pk) if c.status == ComplaintStatus.OPEN else None

        complaints = {
            "rows": [{"complaint": c, "form": answer_form(c)} for c in rows],
            "form": forms.get("complaint_form") or ComplaintForm(case=case),
            "process": landlord_profile(case.landlord).complaints,
        }  # fmt: skip
    return {"closure_signoff": {"closure": closure, "awaiting": awaiting, "form": signoff}, "complaints": complaints,
            "due": due}  # fmt: skip


def _may_sign(user: User, case: Case) -> bool:
    closure = latest_closure(case)
    return closure is not None and may_sign_off(user, closure)


@require_POST
def closure_sign_off_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Sign off the case's latest closure, or return the case to the officer."""

    def act(request: HttpRequest, user: User, case: Case, form: SignOffForm) -> str:
        closure = latest_closure(case)
        assert closure is not None
        data = form.cleaned_data
        done = closure_sign_off(actor=user, closure=closure, decision=data["decision"], note=data["note"])
        returned = done.signoff == SignOff.RETURNED
        messages.success(request, "Case returned to the officer and reopened." if returned else "Closure signed off.")
        return reverse("cases:case", args=[case.reference]) + ("#status" if returned else SECTION)

    return case_form_post(
        request, reference, may=_may_sign, make_form=lambda data, case: SignOffForm(data), act=act,
        form_key="signoff_form",
    )  # fmt: skip


@require_POST
def complaint_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a complaint about how the case was handled or its outcome (whg 3.6-3.7)."""

    def act(request: HttpRequest, user: User, case: Case, form: ComplaintForm) -> str:
        data = form.cleaned_data
        complaint_record(
            actor=user, case=case, about=data["about"], received_on=data["received_on"], summary=data["summary"],
            party=form.chosen_party(), complaints_reference=data["complaints_reference"],
        )  # fmt: skip
        messages.success(request, "Complaint recorded.")
        return reverse("cases:case", args=[case.reference]) + COMPLAINTS

    return case_form_post(
        request, reference, may=can_work_case, make_form=lambda data, case: ComplaintForm(data, case=case), act=act,
        form_key="complaint_form",
    )  # fmt: skip


@require_POST
def complaint_answer_page(request: HttpRequest, reference: str, complaint_id: int) -> HttpResponse:
    """Record the answer to a complaint."""

    def complaint_of(case: Case) -> Complaint:
        found = Complaint.objects.filter(case=case, pk=complaint_id).first()
        if found is None:
            raise Http404("No such complaint")
        return found

    def act(request: HttpRequest, user: User, case: Case, form: ComplaintAnswerForm) -> str:
        data = form.cleaned_data
        complaint_answer(
            actor=user, complaint=complaint_of(case), answered_on=data["answered_on"], answer=data["answer"]
        )
        messages.success(request, "Answer to the complaint recorded.")
        return reverse("cases:case", args=[case.reference]) + COMPLAINTS

    def make(data: Any, case: Case) -> ComplaintAnswerForm:
        return ComplaintAnswerForm(data, complaint_id=complaint_of(case).pk)

    return case_form_post(request, reference, may=can_work_case, make_form=make, act=act, form_key="answer_form")


@require_GET
def closures_awaiting_page(request: HttpRequest) -> HttpResponse:
    """Team managers: the landlord's closures awaiting sign-off, oldest first."""
    user = staff_user(request)
    if user is None or user.role != Role.MANAGER or user.landlord_id is None:
        return forbidden(request)
    rows = awaiting_signoff(landlord_id=user.landlord_id, exclude_by=user.pk)
    return render(request, "reviews/closures_awaiting.html", {"rows": rows})


urlpatterns = [
    path("cases/<str:reference>/closure/sign-off/", closure_sign_off_page, name="closure-sign-off"),
    path("cases/<str:reference>/complaints/", complaint_page, name="complaint"),
    path("cases/<str:reference>/complaints/<int:complaint_id>/answer/", complaint_answer_page, name="complaint-answer"),
    path("closures/awaiting-sign-off/", closures_awaiting_page, name="closures-awaiting"),
]
