"""The ASB Case Review (Community Trigger, 2014 Act s104): the case page part, the staff lists of
reporters at the threshold and of local authority areas, and the information pack.

The case page part (registered through ``case_part``): each reporter's standing (qualifying
complaints counted across their cases, the threshold of their area and whether it is met, the
prompt to tell them of their right at the profile's ``asb_case_review.tell_reporter_at``), the
forms to record a complaint made to another agency, that the reporter was told, and an application;
each application with the forms for its decision, meeting and outcome and the panel's
recommendations (which join the action plan). ``/case-reviews/`` lists the reporters at or near the
threshold and the open applications; ``/areas/`` the local authority areas (team managers and
administrators keep them); ``/cases/<ref>/case-review/pack/`` the information pack for the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case, is_landlord_staff
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case
from haven.cases.selectors.plans import action_staff
from haven.cases.selectors.risk import band_label
from haven.cases.views.core import (
    add_errors,
    case_form_post,
    case_part,
    forbidden,
    load_case,
    see_other,
    staff_user,
)
from haven.common.documents import pdf_render
from haven.common.errors import ApplicationError
from haven.common.stale import version_of
from haven.register.models import LocalAuthorityArea
from haven.reviews.forms.case_review import (
    AgencyComplaintForm,
    ApplicationForm,
    ApplicationUpdateForm,
    AreaForm,
    RecommendationForm,
    RightToReviewForm,
    complaint_text,
)
from haven.reviews.models import CaseReviewApplication, ThresholdDecision
from haven.reviews.selectors.case_review import (
    CaseReviewStatus,
    applications_for_user,
    area_for_user,
    case_application,
    case_review_pack,
    case_review_status,
    eligible_reporters,
    landlord_areas,
)
from haven.reviews.services.case_review import (
    AREA_FIELDS,
    agency_complaint_record,
    area_save,
    can_edit_areas,
    case_review_apply,
    case_review_pack_viewed,
    case_review_update,
    complaints_relied_on,
    recommendation_add,
    right_to_review_told,
)
from haven.reviews.threshold import Complaint

SECTION = "#case-review"
DECISION_COLOURS = {
    ThresholdDecision.PENDING: "yellow",
    ThresholdDecision.MET: "green",
    ThresholdDecision.NOT_MET: "grey",
}


def long_day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def rule_text(status: CaseReviewStatus) -> str:
    """The area's threshold in plain words."""
    rule = status.rule
    words = [f"{rule.complaints} qualifying complaint{'s' if rule.complaints != 1 else ''} within six months"]
    if rule.hate_incident_qualifies:
        words.append("one hate incident")
    if rule.community_reports:
        words.append(f"reports from {rule.community_reports} different people about one place")
    where = status.area.name if status.area else "No local authority area recorded: the statutory default"
    return f"{where}: {', or '.join(words)}."


def all_complaints(status: CaseReviewStatus) -> list[Complaint]:
    seen: dict[str, Complaint] = {}
    for reporter in status.reporters:
        for c in reporter.complaints:
            seen.setdefault(f"{c.kind}:{c.ref}", c)
    return sorted(seen.values(), key=lambda c: c.made_on, reverse=True)


def case_review_due(status: CaseReviewStatus, open_applications: bool) -> list[dict[str, str]]:
    """The "What is due" items: tell a reporter of their right (yellow, the Victims' Commissioner's
    prompt); a reporter meets the threshold with no application open (red, until it lapses)."""
    items = []
    for r in status.reporters:
        a = r.assessment
        if r.tell_now:
            items.append({"label": "Tell the reporter", "colour": "yellow", "href": SECTION,
                          "text": f"Tell {r.party.display_name} about their right to an ASB Case Review "
                                  f"({a.count} complaint{'s' if a.count != 1 else ''} within six months)"})  # fmt: skip
        if a.met and not open_applications and a.lapses_on is not None:
            items.append({"label": "ASB Case Review threshold met", "colour": "red", "href": SECTION,
                          "text": f"{r.party.display_name} can apply for an ASB Case Review until "
                                  f"{long_day(a.lapses_on)}"})  # fmt: skip
    return items


def _status(user: User, case: Case) -> CaseReviewStatus:
    return case_review_status(user=user, case=case, profile=landlord_profile(case.landlord))


def _application_items(
    user: User, case: Case, status: CaseReviewStatus, forms: dict[str, Any], can_work: bool
) -> list[dict[str, Any]]:
    staff = action_staff(landlord_id=case.landlord_id) if can_work and status.applications else []
    items = []
    for application in status.applications:
        key = f"case_review_{application.pk}"
        met = application.decision == ThresholdDecision.MET
        items.append(
            {
                "application": application,
                "colour": DECISION_COLOURS.get(application.decision, "grey"),  # type: ignore[call-overload]
                "complaints": [_stored_text(c) for c in application.complaints],
                "recommendations": list(application.recommendations.all()),
                "form": forms.get(key) or (ApplicationUpdateForm(application=application) if can_work else None),
                "recommendation_form": forms.get(f"recommendation_{application.pk}")
                or (RecommendationForm(application=application, staff=staff) if can_work and met else None),
            }
        )
    return items


def _stored_text(stored: dict[str, Any]) -> str:
    kind = "Report to us" if stored.get("kind") == "report" else "Complaint to another agency"
    made = date.fromisoformat(stored["made_on"]) if stored.get("made_on") else None
    return f"{kind}, made {long_day(made)}" if made else kind


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    profile = landlord_profile(case.landlord)
    status = _status(user, case)
    can_work = can_work_case(user, case)
    can_record = can_work and case.is_open
    reporters = _reporter_rows(status)
    open_applications = any(not a.outcome_letter_sent_on for a in status.applications)
    section = profile.asb_case_review

    def _form(key: str, make: Callable[[], Any]) -> Any:
        return forms.get(key) or (make() if can_record and status.reporters else None)

    return {
        "case_review": {
            "status": status,
            "rule_text": rule_text(status),
            "reporters": reporters,
            "tell_at": section.tell_reporter_at,
            "directory_url": section.directory_url or "",
            "information": section.information,
            "applications": _application_items(user, case, status, forms, can_work),
            "agency_form": _form("agency_complaint_form", lambda: AgencyComplaintForm(case=case)),
            "told_form": _form("right_told_form", lambda: RightToReviewForm(case=case)),
            "apply_form": _form(
                "case_review_apply_form", lambda: ApplicationForm(case=case, complaints=all_complaints(status))
            ),
            "can_work": can_work,
        },
        "due": case_review_due(status, open_applications) if case.is_open else [],
    }


def back(case: Case) -> str:
    return reverse("cases:case", args=[case.reference]) + SECTION


@require_POST
def agency_complaint_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a complaint the reporter made to another agency (it counts toward the threshold once)."""

    def act(request: HttpRequest, user: User, case: Case, form: AgencyComplaintForm) -> str:
        data = form.cleaned_data
        agency_complaint_record(
            actor=user, case=case, party=form.chosen_party(), agency=data["agency"], made_on=data["made_on"],
            incident_on=data["incident_on"], agency_reference=data.get("agency_reference") or "",
            summary=data.get("summary") or "",
        )  # fmt: skip
        messages.success(request, "Complaint to another agency recorded.")
        return back(case)

    return case_form_post(
        request, reference, may=can_work_case, act=act, form_key="agency_complaint_form",
        make_form=lambda data, case: AgencyComplaintForm(data, case=case),
    )  # fmt: skip


@require_POST
def right_told_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Record that the reporter was told of their right to an ASB Case Review."""

    def act(request: HttpRequest, user: User, case: Case, form: RightToReviewForm) -> str:
        data = form.cleaned_data
        party = form.chosen_party()
        standing = _status(user, case).standing_of(party.pk) if party else None
        right_to_review_told(
            actor=user, case=case, party=party, told_on=data["told_on"], channel=data["channel"],
            note=data.get("note") or "", complaints=standing.assessment.count if standing else 0,
        )  # fmt: skip
        messages.success(request, "Recorded that the reporter was told about the ASB Case Review.")
        return back(case)

    return case_form_post(
        request, reference, may=can_work_case, act=act, form_key="right_told_form",
        make_form=lambda data, case: RightToReviewForm(data, case=case),
    )  # fmt: skip


@require_POST
def application_add_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Record an application for an ASB Case Review with the complaints it relies on."""
    user = staff_user(request)

    def make(data: Any, case: Case) -> ApplicationForm:
        complaints = all_complaints(_status(user, case)) if user is not None else []
        return ApplicationForm(data, case=case, complaints=complaints)

    def act(request: HttpRequest, user: User, case: Case, form: ApplicationForm) -> str:
        data = form.cleaned_data
        applicant = form.chosen_party()
        status = _status(user, case)
        standing = status.standing_of(applicant.pk) if applicant else None
        relied, unknown = complaints_relied_on(
            list(data.get("complaints") or []), standing.complaints if standing else []
        )
        if unknown and applicant is not None:
            raise ApplicationError(
                "Choose only complaints the applicant made.",
                fields={"complaints": "Choose only complaints the applicant made."},
            )
        case_review_apply(
            actor=user, case=case, applicant=applicant, route=data["route"], received_on=data["received_on"],
            relied_on=relied, area=status.area,
        )  # fmt: skip
        messages.success(request, "ASB Case Review application recorded.")
        return back(case)

    return case_form_post(
        request, reference, may=can_work_case, act=act, form_key="case_review_apply_form", make_form=make,
        rename={"applicant": "party"},
    )  # fmt: skip


def _found(case: Case, application_id: int) -> CaseReviewApplication:
    found = case_application(case=case, application_id=application_id)
    if found is None:
        raise Http404("No such application on this case.")
    return found


@require_POST
def application_update_page(request: HttpRequest, reference: str, application_id: int) -> HttpResponse:
    """Record the threshold decision, the review meeting and the outcome letter of an application."""

    def act(request: HttpRequest, user: User, case: Case, form: ApplicationUpdateForm) -> str:
        data = form.cleaned_data
        values = {name: data.get(name) for name in ("decided_on", "meeting_on", "outcome_letter_sent_on")}
        values |= {"decision": data["decision"], "decision_reason": data.get("decision_reason") or "",
                   "outcome": data.get("outcome") or ""}  # fmt: skip
        try:
            case_review_update(
                actor=user, application=form.application, values=values, version=data.get("version") or None
            )
        except ApplicationError as error:
            if error.code != "stale":
                raise
            form.renew(version_of(_found(case, application_id).updated_at))
            raise ApplicationError(error.message) from None
        messages.success(request, "ASB Case Review application updated.")
        return back(case)

    return case_form_post(
        request, reference, may=can_work_case, act=act, form_key=f"case_review_{application_id}",
        make_form=lambda data, case: ApplicationUpdateForm(data, application=_found(case, application_id)),
    )  # fmt: skip


@require_POST
def recommendation_add_page(request: HttpRequest, reference: str, application_id: int) -> HttpResponse:
    """Record a recommendation of the review panel: it joins the case's action plan."""

    def act(request: HttpRequest, user: User, case: Case, form: RecommendationForm) -> str:
        data = form.cleaned_data
        recommendation_add(
            actor=user, application=form.application, text=data["text"], owner=data["owner"],
            owner_user=form.chosen_staff(), owner_partner=data.get("owner_partner") or "", due_on=data["due_on"],
        )  # fmt: skip
        messages.success(request, "Recommendation recorded and added to the action plan.")
        return back(case)

    return case_form_post(
        request, reference, may=can_work_case, act=act, form_key=f"recommendation_{application_id}",
        make_form=lambda data, case: RecommendationForm(
            data, application=_found(case, application_id), staff=action_staff(landlord_id=case.landlord_id)
        ),
        rename={"description": "text"},
    )  # fmt: skip


# ---- the information pack --------------------------------------------------------------------------


@require_GET
def pack_page(request: HttpRequest, reference: str) -> HttpResponse:
    """The information pack for the review panel, on screen and printable; each view is audited, as
    it gathers the case's records in one place."""
    return _pack(request, reference, pdf=False)


@require_GET
def pack_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    """The same pack as a PDF for the panel (issue 8; WeasyPrint, ADR 0010), audited as a view."""
    return _pack(request, reference, pdf=True)


def _pack(request: HttpRequest, reference: str, *, pdf: bool) -> HttpResponse:
    user, case, refused = load_case(request, reference)
    if refused is not None:
        return refused
    assert user is not None and case is not None
    profile = landlord_profile(case.landlord)
    pack = case_review_pack(user=user, case=case, profile=profile)
    case_review_pack_viewed(actor=user, case=case)
    context = {
        "case": case,
        "pack": pack,
        "rule_text": rule_text(pack.status),
        "reporters": _reporter_rows(pack.status),
        "applications": [
            {"application": a, "complaints": [_stored_text(c) for c in a.complaints]} for a in pack.status.applications
        ],
        "tier": {t.id: t.label for t in profile.triage.tiers}.get(case.tier, case.tier),
        "risk": [{"assessment": r, "band": band_label(profile, r.band)} for r in pack.risk],
        "today": timezone.localdate(),
    }
    if not pdf:
        return render(request, "reviews/case_review_pack.html", context)
    document = pdf_render(render_to_string("reviews/case_review_pack_pdf.html", context, request=request))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="case-review-pack-{case.reference}.pdf"'
    return response


def _reporter_rows(status: CaseReviewStatus) -> list[dict[str, Any]]:
    return [
        {
            "standing": r,
            "complaints": [
                {
                    "complaint": c,
                    "text": complaint_text(c),
                    "counted": c in r.assessment.counted,
                    "case": status.case_reference(c),
                }
                for c in r.complaints
            ],
        }
        for r in status.reporters
    ]


# ---- the staff lists ---------------------------------------------------------------------------------


@require_GET
def case_reviews_page(request: HttpRequest) -> HttpResponse:
    """The reporters on open cases who meet their area's threshold or are due to be told of their
    right (soonest lapse first), and the applications not yet closed by an outcome letter."""
    user = staff_user(request)
    if user is None or user.landlord is None:
        return forbidden(request)
    profile = landlord_profile(user.landlord)
    rows = eligible_reporters(user=user, profile=profile)
    applications = [a for a in applications_for_user(user=user) if a.outcome_letter_sent_on is None]
    return render(request, "reviews/case_reviews.html", {"rows": rows, "applications": applications})


def _area_user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and is_landlord_staff(user) and user.landlord_id else None


@require_GET
def areas_page(request: HttpRequest) -> HttpResponse:
    """The landlord's local authority areas with their thresholds; managers and administrators change them."""
    user = _area_user(request)
    if user is None:
        return forbidden(request)
    areas = landlord_areas(landlord_id=user.landlord_id or 0)
    return render(request, "reviews/areas.html", {"areas": areas, "can_edit": can_edit_areas(user)})


def _area_values(form: AreaForm) -> dict[str, Any]:
    data = form.cleaned_data
    values = {name: data.get(name) for name in AREA_FIELDS}
    for name in ("gss_code", "lead_agency", "contact_name", "contact_email", "contact_phone", "procedure_url"):
        values[name] = values[name] or ""
    values["hate_incident_qualifies"] = bool(values["hate_incident_qualifies"])
    return values


def _area_initial(area: LocalAuthorityArea) -> dict[str, Any]:
    return {name: getattr(area, name) for name in AREA_FIELDS}


@require_http_methods(["GET", "POST"])
def area_edit_page(request: HttpRequest, area_id: int | None = None) -> HttpResponse:
    """Add or change a local authority area (team managers and administrators; audited)."""
    user = _area_user(request)
    if user is None or not can_edit_areas(user):
        return forbidden(request)
    area = None
    if area_id is not None:
        area = area_for_user(user=user, area_id=area_id)
        if area is None:
            return render(request, "404.html", status=404)
    if request.method == "POST":
        form = AreaForm(request.POST)
        if form.is_valid():
            try:
                saved = area_save(actor=user, area=area, values=_area_values(form))
            except ApplicationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"{saved.name} saved.")
                return see_other(reverse("reviews:areas"))
        return render(request, "reviews/areas_form.html", {"form": form, "area": area}, status=400)
    form = AreaForm(initial=_area_initial(area) if area else {"threshold_complaints": 3})
    return render(request, "reviews/areas_form.html", {"form": form, "area": area})


urlpatterns = [
    path("case-reviews/", case_reviews_page, name="case-reviews"),
    path("areas/", areas_page, name="areas"),
    path("areas/new/", area_edit_page, name="area-add"),
    path("areas/<int:area_id>/", area_edit_page, name="area-edit"),
    path("cases/<str:reference>/case-review/pack/", pack_page, name="case-review-pack"),
    path("cases/<str:reference>/case-review/pack.pdf", pack_pdf, name="case-review-pack-pdf"),
    path("cases/<str:reference>/case-review/agency-complaints/", agency_complaint_page, name="agency-complaint-add"),
    path("cases/<str:reference>/case-review/told/", right_told_page, name="right-told"),
    path("cases/<str:reference>/case-review/applications/", application_add_page, name="case-review-apply"),
    path(
        "cases/<str:reference>/case-review/applications/<int:application_id>/",
        application_update_page,
        name="case-review-update",
    ),
    path(
        "cases/<str:reference>/case-review/applications/<int:application_id>/recommendations/",
        recommendation_add_page,
        name="case-review-recommendation",
    ),
]
