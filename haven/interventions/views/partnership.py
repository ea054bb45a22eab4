"""The partnership part of the case page (emh 6.1-6.2, 4.13; WWH 4.0 "Monitor Referrals"):
referrals with their answers or overdue tags and partnership meetings with the actions they
agreed, the forms to make, answer, list and record them; and the list of overdue referrals across
the cases the user may see. Registered on the case page through ``case_part``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case
from haven.cases.selectors.plans import action_staff
from haven.cases.views.core import PAGE_SIZE, case_form_post, case_part, forbidden, staff_user
from haven.common.errors import ApplicationError
from haven.common.stale import version_of
from haven.interventions.forms.partnership import (
    MeetingListForm,
    MeetingRecordForm,
    ReferralForm,
    ReferralResponseForm,
)
from haven.interventions.selectors.partnership import (
    CasePartnership,
    case_meeting,
    case_partnership,
    case_referral,
    referral_row,
    referrals_for_user,
)
from haven.interventions.services.partnership import (
    meeting_list,
    meeting_record,
    referral_make,
    referral_response_record,
)

SECTION = "#partnership"


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def partnership_due(case: Case, found: CasePartnership) -> list[dict[str, str]]:
    """The "What is due" items: each unanswered referral, red once past the day its answer was
    expected (WWH 4.0 "Monitor Referrals"), blue before."""
    if not case.is_open:
        return []
    items = [
        {"label": "Referral overdue", "colour": "red", "href": SECTION,
         "text": f"{row.partner} has not answered: the answer was expected by {_day(row.referral.response_due_on)}"}
        for row in found.overdue
    ]  # fmt: skip
    items += [
        {"label": "Referral answer expected", "colour": "blue", "href": SECTION,
         "text": f"An answer from {row.partner} by {_day(row.referral.response_due_on)}"}
        for row in found.awaited
    ]  # fmt: skip
    return items


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    """Referrals (one query) and meetings with their actions (two), plus the staff for the record
    forms (one, only when a meeting can be recorded): at most four queries whatever the numbers."""
    profile = landlord_profile(case.landlord)
    found = case_partnership(case=case, profile=profile, today=timezone.localdate())
    can_work = can_work_case(user, case) and case.is_open
    referrals = [
        {"row": row, "form": forms.get(f"referral_response_{row.referral.pk}")
         or (ReferralResponseForm(referral=row.referral) if can_work and row.referral.responded_on is None else None)}
        for row in found.referrals
    ]  # fmt: skip
    staff: list[User] | None = None
    meetings = []
    for row in found.meetings:
        form = forms.get(f"meeting_record_{row.meeting.pk}")
        if form is None and can_work:
            staff = staff if staff is not None else action_staff(landlord_id=case.landlord_id)
            form = MeetingRecordForm(meeting=row.meeting, case=case, staff=staff, profile=profile)
        meetings.append({"row": row, "form": form})
    referral_form = forms.get("referral_form") or (ReferralForm(case=case, profile=profile) if can_work else None)
    list_form = forms.get("meeting_list_form") or (MeetingListForm(profile=profile) if can_work else None)
    return {
        "partnership": {
            "referrals": referrals, "meetings": meetings, "referral_form": referral_form, "list_form": list_form,
            "can_work": can_work, "within": profile.partnership.referral_response_within,
        },
        "due": partnership_due(case, found),
    }  # fmt: skip


def _back(case: Case) -> str:
    return reverse("cases:case", args=[case.reference]) + SECTION


def _referral_form(data: Any, case: Case) -> ReferralForm:
    return ReferralForm(data, case=case, profile=landlord_profile(case.landlord))


@require_POST
def referral_make_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Make a referral to a partner of the profile."""

    def act(request: HttpRequest, user: User, case: Case, form: ReferralForm) -> str:
        data = form.cleaned_data
        referral_make(
            actor=user, case=case, partner=data["partner"], party=form.chosen_party(), made_on=data["made_on"],
            reason=data["reason"], consent=data["consent"], lawful_basis=data.get("lawful_basis") or "",
            basis_detail=data.get("basis_detail") or "", response_due_on=data.get("response_due_on"),
        )  # fmt: skip
        messages.success(request, "Referral recorded.")
        return _back(case)

    return case_form_post(
        request, reference, may=can_work_case, make_form=_referral_form, act=act, form_key="referral_form"
    )


@require_POST
def referral_response_page(request: HttpRequest, reference: str, referral_id: int) -> HttpResponse:
    """Record a partner's answer to a referral; a stale edit keeps what was typed, with the message."""

    def make_form(data: Any, case: Case) -> ReferralResponseForm:
        referral = case_referral(case=case, referral_id=referral_id)
        if referral is None:
            raise Http404("No such referral on this case.")
        return ReferralResponseForm(data, referral=referral)

    def act(request: HttpRequest, user: User, case: Case, form: ReferralResponseForm) -> str:
        data = form.cleaned_data
        try:
            referral_response_record(
                actor=user, referral=form.referral, responded_on=data["responded_on"], response=data["response"],
                outcome=data.get("outcome") or "", version=data.get("version") or None,
            )  # fmt: skip
        except ApplicationError as error:
            if error.code != "stale":
                raise
            current = case_referral(case=case, referral_id=referral_id)
            if current is not None:
                form.renew(version_of(current.updated_at))
            raise ApplicationError(error.message) from None
        messages.success(request, "The partner's answer is recorded.")
        return _back(case)

    return case_form_post(
        request, reference, may=can_work_case, make_form=make_form, act=act,
        form_key=f"referral_response_{referral_id}",
    )  # fmt: skip


@require_POST
def meeting_list_page(request: HttpRequest, reference: str) -> HttpResponse:
    """List the case for a partnership meeting (emh 6.2)."""

    def act(request: HttpRequest, user: User, case: Case, form: MeetingListForm) -> str:
        data = form.cleaned_data
        meeting_list(actor=user, case=case, forum=data["forum"], meets_on=data["meets_on"], reason=data["reason"])
        messages.success(request, "The case is listed for the meeting.")
        return _back(case)

    return case_form_post(
        request, reference, may=can_work_case, act=act, form_key="meeting_list_form",
        make_form=lambda data, case: MeetingListForm(data, profile=landlord_profile(case.landlord)),
    )  # fmt: skip


@require_POST
def meeting_record_page(request: HttpRequest, reference: str, meeting_id: int) -> HttpResponse:
    """Record what a partnership meeting decided and the actions it agreed (they join the plan)."""

    def make_form(data: Any, case: Case) -> MeetingRecordForm:
        meeting = case_meeting(case=case, meeting_id=meeting_id)
        if meeting is None:
            raise Http404("No such meeting on this case.")
        staff = action_staff(landlord_id=case.landlord_id)
        return MeetingRecordForm(data, meeting=meeting, case=case, staff=staff, profile=landlord_profile(case.landlord))

    def act(request: HttpRequest, user: User, case: Case, form: MeetingRecordForm) -> str:
        data = form.cleaned_data
        try:
            meeting_record(
                actor=user, meeting=form.meeting, held=data["held"], summary=data["summary"],
                actions=form.actions(), version=data.get("version") or None,
            )  # fmt: skip
        except ApplicationError as error:
            if error.code == "stale":
                current = case_meeting(case=case, meeting_id=meeting_id)
                if current is not None:
                    form.renew(version_of(current.updated_at))
                raise ApplicationError(error.message) from None
            names = form.rename()
            fields = {names.get(name, name): message for name, message in error.fields.items()}
            raise ApplicationError(error.message, fields=fields) from None
        messages.success(request, "The meeting is recorded.")
        return _back(case)

    return case_form_post(
        request, reference, may=can_work_case, make_form=make_form, act=act, form_key=f"meeting_record_{meeting_id}"
    )


@require_GET
def referrals_overdue_page(request: HttpRequest) -> HttpResponse:
    """The referrals unanswered past the day their answer was expected, on the open cases the user
    may see (WWH 4.0 "Monitor Referrals"), soonest due first, 50 a page: two queries a page."""
    user = staff_user(request)
    if user is None or user.landlord is None:
        return forbidden(request)
    profile, today = landlord_profile(user.landlord), timezone.localdate()
    page = Paginator(referrals_for_user(user=user, overdue=True, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [{"row": referral_row(r, profile, today), "days": (today - r.response_due_on).days} for r in page]
    return render(request, "interventions/partnership_overdue.html", {"page": page, "rows": rows})


urlpatterns = [
    path("cases/<str:reference>/referrals/", referral_make_page, name="referral-make"),
    path(
        "cases/<str:reference>/referrals/<int:referral_id>/response/",
        referral_response_page,
        name="referral-response",
    ),
    path("cases/<str:reference>/meetings/", meeting_list_page, name="meeting-list"),
    path("cases/<str:reference>/meetings/<int:meeting_id>/record/", meeting_record_page, name="meeting-record"),
    path("referrals/overdue/", referrals_overdue_page, name="referrals-overdue"),
]
