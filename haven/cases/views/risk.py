"""The risk part of the case page (emh 4.4-4.14): each affected party's latest risk band and its
history, the proposal to re-categorise when the band proposes another tier, support needs and
safeguarding concerns, with their forms. Registered on the case page through ``case_part``.

Vulnerability details (the answers, notes, needs and concerns) are special category data: they
are shown only to users ``can_view_special_category`` allows; others see the band and score only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_view_case, can_view_special_category, can_work_case
from haven.accounts.selectors import landlord_profile
from haven.cases.forms.outcomes import OutcomeForm
from haven.cases.forms.risk import (
    ASSESSED_ROLES,
    RiskAssessmentForm,
    SafeguardingForm,
    SupportNeedForm,
    answer_renames,
)
from haven.cases.models import Case, RiskAssessment
from haven.cases.selectors.risk import (
    band_label,
    full_risk_due,
    risk_assessments_for_case,
    risk_by_party,
    risk_details_viewed,
    safeguarding_concerns_for_case,
    support_needs_for_case,
    tier_label,
    tier_proposal,
)
from haven.cases.services.risk import risk_assess, safeguarding_concern_record, support_need_record
from haven.cases.views.core import case_form_post, case_part, day_text, party_of
from haven.cases.views.outcomes import may_record_outcomes
from haven.policies.schema import PolicyProfile

SECTION = "#risk"
BAND_COLOURS = ("green", "yellow", "orange", "red")  # lowest band first


def band_colours(profile: PolicyProfile) -> dict[str, str]:
    """Each band's tag colour, by its place from the lowest band: green, then yellow, orange, red;
    the most serious band is always red."""
    bands = sorted(profile.risk_matrix.bands, key=lambda b: b.min_score)
    colours = {b.code: BAND_COLOURS[min(i, len(BAND_COLOURS) - 1)] for i, b in enumerate(bands)}
    colours[bands[-1].code] = "red"
    return colours


def _answers(profile: PolicyProfile, assessment: RiskAssessment) -> list[dict[str, str]]:
    """The answers in words, by the current matrix; an answer to a retired question keeps its code."""
    shown = []
    for code, chosen in assessment.answers.items():
        question = profile.risk_matrix.question(code)
        option = question.option(chosen) if question else None
        shown.append({"question": question.text if question else code, "answer": option.label if option else chosen})
    return shown


def _row(profile: PolicyProfile, colours: dict[str, str], a: RiskAssessment, special: bool) -> dict[str, Any]:
    return {
        "assessment": a,
        "band": band_label(profile, a.band),
        "colour": colours.get(a.band, "grey"),
        "proposed": tier_label(profile, a.proposed_tier) if a.proposed_tier else "",
        "was": tier_label(profile, a.tier_at_assessment),
        "by": a.assessed_by.display_name,
        "answers": _answers(profile, a) if special else [],
    }


def risk_due(case: Case, *, assessed: bool, now: datetime) -> list[dict[str, str]]:
    """The "What is due" item: the full assessment until one is made (casework.full_risk_within)."""
    due = full_risk_due(case, assessed=assessed, now=now)
    if due is None:
        return []
    if due.overdue:
        return [{"label": "Risk assessment overdue", "colour": "red", "href": SECTION,
                 "text": f"Complete the full risk assessment: it was due by {day_text(due.due_at)}"}]  # fmt: skip
    return [{"label": "Risk assessment due", "colour": "blue", "href": SECTION,
             "text": f"Complete the full risk assessment by {day_text(due.due_at)}"}]  # fmt: skip


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    profile = landlord_profile(case.landlord)
    special = can_view_special_category(user)
    can_work = can_work_case(user, case)
    assessments = list(risk_assessments_for_case(case=case))
    colours = band_colours(profile)
    by_party = {found.party.pk: found for found in risk_by_party(case=case, assessments=assessments)}
    parties = []
    for party in case.parties.all():
        found = by_party.get(party.pk)
        if found is None and (party.role not in ASSESSED_ROLES or party.removed_at is not None):
            continue
        history = [_row(profile, colours, a, special) for a in (found.history if found else [])]
        parties.append({"party": party, "latest": history[0] if history else None, "history": history})
    proposal = tier_proposal(case=case, profile=profile, assessments=assessments)
    needs = list(support_needs_for_case(case=case)) if special else []
    concerns = list(safeguarding_concerns_for_case(case=case)) if special else []
    if special and (assessments or needs or concerns):
        risk_details_viewed(user=user, case=case)
    if may_record_outcomes(user, case):
        # Each row carries its outcome form; one sent back with an error keeps what was typed, with
        # the record's current version, so that after reading a colleague's change it can be saved.
        for prefix, record in [*(("need-outcome", n) for n in needs), *(("concern-outcome", c) for c in concerns)]:
            key = f"{prefix}-{record.pk}"
            form = OutcomeForm.kept(forms.get(key), record) or OutcomeForm.for_record(record, key)
            record.outcome_form = form  # type: ignore[attr-defined]
    risk_form = forms.get("risk_form")
    if risk_form is None and can_work and case.is_open:
        risk_form = RiskAssessmentForm(case=case, profile=profile)
    support_form = forms.get("support_form")
    if support_form is None and can_work and case.is_open:
        support_form = SupportNeedForm(case=case)
    safeguarding_form = forms.get("safeguarding_form")
    if safeguarding_form is None and can_work:
        safeguarding_form = SafeguardingForm(case=case)
    return {
        "risk": {
            "parties": parties, "proposal": proposal, "special": special, "needs": needs, "concerns": concerns,
            "matrix_version": profile.risk_matrix.version, "form": risk_form, "support_form": support_form,
            "safeguarding_form": safeguarding_form,
        },
        "due": risk_due(case, assessed=bool(assessments), now=timezone.now()),
    }  # fmt: skip


def _back(case: Case, section: str = SECTION) -> str:
    return reverse("cases:case", args=[case.reference]) + section


@require_POST
def risk_assess_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a full risk and vulnerability assessment of one party (emh 4.4)."""

    def act(request: HttpRequest, user: User, case: Case, form: RiskAssessmentForm) -> str:
        assessment = risk_assess(
            actor=user, case=case, party=party_of(case, form.cleaned_data["party"]), answers=form.answers(),
            notes=form.cleaned_data.get("notes") or "",
        )  # fmt: skip
        profile = landlord_profile(case.landlord)
        messages.success(
            request, f"Risk assessment recorded: {band_label(profile, assessment.band)}, score {assessment.score}."
        )
        return _back(case)

    def make_form(data: Any, case: Case) -> RiskAssessmentForm:
        return RiskAssessmentForm(data, case=case, profile=landlord_profile(case.landlord))

    user = request.user
    landlord = user.landlord if isinstance(user, User) else None
    return case_form_post(
        request, reference, may=can_work_case, make_form=make_form, act=act, form_key="risk_form",
        rename=answer_renames(landlord_profile(landlord)) if landlord is not None else {},
    )  # fmt: skip


@require_POST
def support_need_add_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a support need (emh 4.7-4.8)."""

    def act(request: HttpRequest, user: User, case: Case, form: SupportNeedForm) -> str:
        data = form.cleaned_data
        support_need_record(
            actor=user, case=case, party=party_of(case, data["party"]), kind=data["kind"],
            description=data["description"], referred_to=data.get("referred_to") or "",
            referred_on=data.get("referred_on"), outcome=data.get("outcome") or "",
        )  # fmt: skip
        messages.success(request, "Support need recorded.")
        return _back(case, "#support-needs")

    return case_form_post(
        request, reference, may=can_work_case, act=act, form_key="support_form",
        make_form=lambda data, case: SupportNeedForm(data, case=case),
    )  # fmt: skip


@require_POST
def safeguarding_add_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a safeguarding concern and its referral (emh 4.11-4.14); the case becomes restricted."""

    def act(request: HttpRequest, user: User, case: Case, form: SafeguardingForm) -> str:
        data = form.cleaned_data
        safeguarding_concern_record(
            actor=user, case=case, party=party_of(case, data.get("party") or ""), about=data["about"],
            concern=data["concern"], raised_on=data["raised_on"], referred=data["referred"] == "yes",
            referred_to=data.get("referred_to") or "", referred_on=data.get("referred_on"),
            referral_reference=data.get("referral_reference") or "",
            no_referral_reason=data.get("no_referral_reason") or "",
        )  # fmt: skip
        case.refresh_from_db(fields=["restricted", "flags"])
        if not can_view_case(user, case):
            messages.success(
                request,
                f"Safeguarding concern recorded. Case {case.reference} is now restricted to its officer, "
                "ASB specialists and team managers.",
            )
            return reverse("cases:list")
        messages.success(request, "Safeguarding concern recorded. The case is flagged for safeguarding.")
        return _back(case, "#safeguarding-concerns")

    return case_form_post(
        request, reference, may=can_work_case, act=act, form_key="safeguarding_form",
        make_form=lambda data, case: SafeguardingForm(data, case=case),
    )  # fmt: skip


__all__ = ["band_colours", "risk_assess_page", "risk_due", "safeguarding_add_page", "support_need_add_page"]
