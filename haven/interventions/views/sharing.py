"""The pages of information sharing: the sharing log part of the case page (with "Led by" for a
partner-led case), the landlord's sharing agreements, and opening a case from partner intelligence
(emh 6.3-6.4; WWH 4.0). Views parse and render; the rules are in ``services.sharing``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.models import Role, User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case
from haven.cases.views.core import add_errors, case_form_post, case_part, forbidden, see_other, staff_user, with_errors
from haven.common.errors import ApplicationError
from haven.common.stale import version_of
from haven.interventions.forms.sharing import InformationShareForm, IntelligenceCaseForm, SharingAgreementForm
from haven.interventions.selectors.sharing import (
    active_agreements,
    case_sharing_log,
    disclosure_approvers,
    partner_label,
    review_overdue,
    sharing_agreement_of,
    sharing_agreements,
)
from haven.interventions.services.sharing import (
    case_open_from_intelligence,
    information_share_record,
    sharing_agreement_create,
    sharing_agreement_update,
)

SECTION = "#information-sharing"


def _share_form(data: Any, case: Case) -> InformationShareForm:
    profile = landlord_profile(case.landlord)
    return InformationShareForm(
        data, profile=profile, agreements=active_agreements(landlord_id=case.landlord_id),
        approvers=disclosure_approvers(landlord_id=case.landlord_id, profile=profile),
    )  # fmt: skip


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    """The sharing log is for caseworkers (``can_work_case``): four queries (shares, referrals, and
    for the form the active agreements and the approvers); none for others."""
    profile = landlord_profile(case.landlord)
    lead = partner_label(profile, case.lead_agency) if case.lead_agency else ""
    if not can_work_case(user, case):
        return {"sharing": {"lead": lead, "can_work": False}}
    form = forms.get("share_form") or _share_form(None, case)
    rows = case_sharing_log(case=case, profile=profile)
    return {"sharing": {"lead": lead, "can_work": True, "rows": rows, "form": form}}


@require_POST
def information_share_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a disclosure to, or information received from, another organisation (emh 6.3-6.4)."""

    def act(request: HttpRequest, user: User, case: Case, form: InformationShareForm) -> str:
        data = form.cleaned_data
        information_share_record(
            actor=user, case=case, direction=data["direction"], partner=data.get("partner") or "",
            organisation=data.get("organisation") or "", what=data["what"], shared_on=data["shared_on"],
            method=data["method"], agreement=form.chosen_agreement(), lawful_basis=data.get("lawful_basis") or "",
            basis_detail=data.get("basis_detail") or "", approved_by=form.approver(),
            handling=data.get("handling") or "",
        )  # fmt: skip
        messages.success(request, "Information sharing recorded.")
        return reverse("cases:case", args=[case.reference]) + SECTION

    return case_form_post(request, reference, may=can_work_case, make_form=_share_form, act=act, form_key="share_form")


# ---- sharing agreements (emh 6.3) -----------------------------------------------------------------


def _agreements_page(
    request: HttpRequest, user: User, form: SharingAgreementForm | None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    rows = [{"agreement": a, "overdue": review_overdue(a, today)} for a in sharing_agreements(user=user)]
    manager = user.role == Role.MANAGER
    if form is None and manager:
        form = SharingAgreementForm()
    context = {
        "rows": rows,
        "form": form,
        "manager": manager,
        "error_forms": with_errors(form),
    }
    return render(request, "interventions/sharing_agreements.html", context, status=status)


@require_http_methods(["GET", "POST"])
def agreements_page(request: HttpRequest) -> HttpResponse:
    """Every member of staff reads the landlord's agreements; team managers add them."""
    user = staff_user(request)
    if user is None:
        return forbidden(request)
    if request.method == "GET":
        return _agreements_page(request, user, None)
    if user.role != Role.MANAGER:
        return forbidden(request)
    form = SharingAgreementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            sharing_agreement_create(
                actor=user, title=data["title"], parties=data["parties"], purpose=data["purpose"],
                signed_on=data.get("signed_on"), review_on=data["review_on"], active=data["active"],
            )  # fmt: skip
            messages.success(request, "Information sharing agreement added.")
            return see_other(reverse("interventions:sharing-agreements"))
        except ApplicationError as error:
            add_errors(form, error)
    return _agreements_page(request, user, form, status=400)


@require_http_methods(["GET", "POST"])
def agreement_page(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Change an agreement (team managers); a stale edit keeps what was typed, with the message."""
    user = staff_user(request)
    if user is None or user.role != Role.MANAGER:
        return forbidden(request)
    agreement = sharing_agreement_of(user=user, agreement_id=agreement_id)
    if agreement is None:
        raise Http404("No such agreement.")
    status = 200
    if request.method == "GET":
        form = SharingAgreementForm(agreement=agreement)
    else:
        form = SharingAgreementForm(request.POST, agreement=agreement)
        if form.is_valid():
            data = form.cleaned_data
            try:
                sharing_agreement_update(
                    actor=user, agreement=agreement, title=data["title"], parties=data["parties"],
                    purpose=data["purpose"], signed_on=data.get("signed_on"), review_on=data["review_on"],
                    active=data["active"], version=data.get("version") or None,
                )  # fmt: skip
                messages.success(request, "Information sharing agreement saved.")
                return see_other(reverse("interventions:sharing-agreements"))
            except ApplicationError as error:
                if error.code == "stale":
                    current = sharing_agreement_of(user=user, agreement_id=agreement_id)
                    if current is not None:
                        form.renew(version_of(current.updated_at))
                add_errors(form, error)
        status = 400
    context = {"agreement": agreement, "form": form, "error_forms": with_errors(form)}
    return render(request, "interventions/sharing_agreement.html", context, status=status)


# ---- cases from partner intelligence (WWH 4.0) ----------------------------------------------------


@require_http_methods(["GET", "POST"])
def intelligence_case_page(request: HttpRequest) -> HttpResponse:
    """Open a restricted, partner-led case from intelligence; the profile's restricted roles only."""
    user = staff_user(request)
    if user is None or user.landlord is None:
        return forbidden(request)
    profile = landlord_profile(user.landlord)
    if user.role not in profile.casework.restricted_roles:
        return forbidden(request)
    status = 200
    if request.method == "GET":
        form = IntelligenceCaseForm(profile=profile)
    else:
        form = IntelligenceCaseForm(request.POST, profile=profile)
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = case_open_from_intelligence(
                    actor=user, partner=data["partner"], received_at=form.received_at(), summary=data["summary"],
                    category=data["category"], tier=data["tier"],
                    property_reference=data.get("property_reference") or "", location=data.get("location") or "",
                    postcode=data.get("postcode") or "", method=data["method"], handling=data["handling"],
                )  # fmt: skip
                messages.success(
                    request, f"Case {case.reference} opened, led by {partner_label(profile, case.lead_agency)}."
                )
                return see_other(reverse("cases:case", args=[case.reference]))
            except ApplicationError as error:
                if error.fields.get("received_at"):
                    error.fields["received_on"] = error.fields.pop("received_at")
                add_errors(form, error)
        status = 400
    context = {"form": form, "error_forms": with_errors(form)}
    return render(request, "interventions/sharing_intelligence.html", context, status=status)


urlpatterns = [
    path("cases/new/intelligence/", intelligence_case_page, name="intelligence-case"),
    path("cases/<str:reference>/information-shares/", information_share_page, name="information-share"),
    path("partnership/agreements/", agreements_page, name="sharing-agreements"),
    path("partnership/agreements/<int:agreement_id>/", agreement_page, name="sharing-agreement"),
]
