"""The satisfaction survey at closure (whg 3.3; TSM TP12).

The reporter's page ``/survey/<signed>/`` needs no sign-in (the signed link is the key): it shows
the landlord's name, the case reference and the profile's questions, never anyone's details. An
altered link is refused as not working; an expired, withdrawn or used one gets a plain page saying
so, with the landlord's phone number where the profile has one. On the case page, caseworkers see
the invitations and answers, send a new link, or record answers taken by phone or on paper.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case, CaseStatus
from haven.cases.views.core import add_errors, case_form_post, case_part, forbidden, load_case, see_other
from haven.common.errors import ApplicationError
from haven.reviews.forms.survey import SurveyForm, SurveyRecordForm
from haven.reviews.models import SurveyInvitation
from haven.reviews.selectors.survey import case_survey
from haven.reviews.services.survey import (
    SurveyRefused,
    survey_answer,
    survey_invitation_send,
    survey_link_open,
    survey_post_counted,
    survey_posts_left,
    survey_record,
)

SECTION = "#survey"
REFUSED_STATUS = {"invalid": 404, "expired": 410, "withdrawn": 410, "used": 410}


# ---- the reporter's page ------------------------------------------------------------------------


def _refused(request: HttpRequest, refusal: SurveyRefused) -> HttpResponse:
    context = {"reason": refusal.reason, "landlord_name": refusal.landlord_name, "phone": refusal.phone}
    return render(request, "reviews/survey/refused.html", context, status=REFUSED_STATUS.get(refusal.reason, 404))


def _form_page(request: HttpRequest, invitation: SurveyInvitation, form: SurveyForm, status: int = 200) -> HttpResponse:
    profile = landlord_profile(invitation.case.landlord)
    context = {
        "form": form, "reference": invitation.case.reference, "landlord_name": profile.landlord.name,
        "expires_at": invitation.expires_at, "phone": profile.landlord.complaints_phone or "",
    }  # fmt: skip
    return render(request, "reviews/survey/form.html", context, status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, token: str) -> HttpResponse:
    """The survey (GET) and its answers (POST): saved once, then the thank-you page."""
    try:
        invitation = survey_link_open(signed=token)
    except SurveyRefused as refusal:
        return _refused(request, refusal)
    profile = landlord_profile(invitation.case.landlord)
    if request.method != "POST":
        return _form_page(request, invitation, SurveyForm(profile=profile, language=invitation.language))
    if not survey_posts_left(invitation):
        return _refused(request, SurveyRefused("too_many", landlord_name=profile.landlord.name))
    survey_post_counted(invitation)
    form = SurveyForm(request.POST, profile=profile, language=invitation.language)
    if form.is_valid():
        try:
            survey_answer(signed=token, answers=form.answers())
            return see_other(reverse("reviews:survey-thanks", args=[token]))
        except SurveyRefused as refusal:
            return _refused(request, refusal)
        except ApplicationError as error:
            add_errors(form, error)
    return _form_page(request, invitation, form, status=400)


@login_not_required
@never_cache
@require_GET
def survey_thanks(request: HttpRequest, token: str) -> HttpResponse:
    """After the answers: thanks, and where to go if the problem goes on."""
    try:
        invitation = survey_link_open(signed=token, answered=True)
    except SurveyRefused as refusal:
        return _refused(request, refusal)
    profile = landlord_profile(invitation.case.landlord)
    context = {
        "reference": invitation.case.reference, "landlord_name": profile.landlord.name,
        "phone": profile.landlord.complaints_phone or "",
    }  # fmt: skip
    return render(request, "reviews/survey/thanks.html", context)


# ---- the case page --------------------------------------------------------------------------------


def _record_form(data: Any, case: Case) -> SurveyRecordForm:
    return SurveyRecordForm(data, profile=landlord_profile(case.landlord))


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    """The survey for caseworkers of a case that has been closed: three queries; none otherwise."""
    if not can_work_case(user, case) or case.closed_at is None:
        return {"survey": None}
    found = case_survey(case, landlord_profile(case.landlord))
    form = forms.get("survey_form") or (_record_form(None, case) if found["to_answer"] else None)
    return {"survey": found | {"form": form, "may_send": found["to_answer"]}}


def _may(user: User, case: Case) -> bool:
    return can_work_case(user, case) and case.status == CaseStatus.CLOSED


@require_POST
def survey_send_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Send the reporter a new link (the open one is withdrawn)."""
    user, case, refused = load_case(request, reference)
    if refused is not None:
        return refused
    assert user is not None and case is not None
    if not can_work_case(user, case):
        return forbidden(request)
    try:
        invitation = survey_invitation_send(actor=user, case=case, site=request.build_absolute_uri("/"))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if invitation.channel == "email":
            messages.success(request, "Survey link sent by e-mail.")
        else:
            messages.success(request, f"Survey ready: the reporter prefers {invitation.get_channel_display().lower()}. "
                             "Ask the questions by phone and record the answers.")  # fmt: skip
    return see_other(reverse("cases:case", args=[case.reference]) + SECTION)


@require_POST
def survey_record_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Record the reporter's answers, asked by phone or from a paper form."""

    def act(request: HttpRequest, user: User, case: Case, form: SurveyRecordForm) -> str:
        survey_record(actor=user, case=case, answers=form.answers(), via_channel=form.cleaned_data["via_channel"])
        messages.success(request, "Survey answers recorded.")
        return reverse("cases:case", args=[case.reference]) + SECTION

    return case_form_post(request, reference, may=_may, make_form=_record_form, act=act, form_key="survey_form")


urlpatterns = [
    path("survey/<str:token>/", survey_page, name="survey"),
    path("survey/<str:token>/thanks/", survey_thanks, name="survey-thanks"),
    path("cases/<str:reference>/survey/send/", survey_send_page, name="survey-send"),
    path("cases/<str:reference>/survey/record/", survey_record_page, name="survey-record"),
]
