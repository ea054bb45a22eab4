"""The ASB Case Review (Community Trigger, 2014 Act s104) in the API: the bodies to record a local
authority area, a complaint made to another agency, the reporter told of their right, an application,
its decision and outcome, and a panel's recommendation; and how areas, a case's standing and
applications are shown.

The request serializers check shapes only; the rules are in ``haven.reviews.services.case_review``.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haven.api.serializers import common
from haven.api.serializers.cases import PartyField
from haven.api.serializers.common import StrictSerializer, choice, text
from haven.cases.models import ActionOwner, ContactChannel
from haven.common.stale import version_of
from haven.register.models import LocalAuthorityArea
from haven.reviews.models import ApplicationRoute, CaseReviewApplication, ThresholdDecision
from haven.reviews.selectors.case_review import CaseReviewStatus, EligibleRow, ReporterStanding
from haven.reviews.threshold import Complaint

DATE_ERRORS: dict[str, Any] = {"invalid": "Give the date as YYYY-MM-DD, like 2026-03-27."}


def _date(help_text: str, **options: Any) -> serializers.DateField:
    options.setdefault("required", False)
    options.setdefault("allow_null", True)
    return serializers.DateField(help_text=help_text, error_messages=DATE_ERRORS, **options)


def _number(help_text: str, **options: Any) -> serializers.IntegerField:
    options.setdefault("required", False)
    options.setdefault("allow_null", True)
    return serializers.IntegerField(help_text=help_text, error_messages={"invalid": "Give a whole number."}, **options)


# ---- bodies ---------------------------------------------------------------------------------------


class AreaBodySerializer(StrictSerializer):
    """A local authority area of the caller's landlord with its ASB Case Review threshold. On a
    change, leave out what does not change."""

    what_it_is = "local authority area"

    name = text(120, help_text="The area's name, unique for the landlord. Required for a new area.")
    gss_code = text(9, help_text="The ONS code, a letter and eight digits, like E06000016.")
    threshold_complaints = _number("Qualifying complaints within six months that meet the threshold: 1 to 3 (s104).")
    hate_incident_qualifies = serializers.BooleanField(
        required=False, help_text="A local variation: one complaint of a hate incident meets the threshold."
    )
    community_reports = _number("A local variation: this many reports (2 to 50) from different people about one place.")
    lead_agency = text(120, help_text="Who manages reviews, like the council.")
    contact_name = text(120)
    contact_email = text(254)
    contact_phone = text(30)
    procedure_url = text(200, help_text="The area's published procedure.")
    decision_within_days = _number("Working days to decide whether the threshold is met (1 to 365).")
    review_within_days = _number("Working days from the decision to the review meeting (1 to 365).")


class AgencyComplaintCreateSerializer(StrictSerializer):
    """A complaint the reporter made to another agency (so it counts toward their threshold, once per incident)."""

    what_it_is = "agency complaint"

    party = PartyField(help_text='The reporter: a party id from the case, or "reporter". Required.')
    agency = text(120, help_text="The agency, like the police or the council. Required.")
    made_on = _date("When the complaint was made. Required; not in the future.")
    incident_on = _date("When the behaviour complained of happened. Required; not after `made_on`.")
    agency_reference = text(60, help_text="Their reference, like a police log number.")
    summary = text(5000)


class RightToReviewCreateSerializer(StrictSerializer):
    """The reporter was told of their right to an ASB Case Review."""

    what_it_is = "right to review notice"

    party = PartyField(help_text='The reporter: a party id from the case, or "reporter". Required.')
    told_on = _date("When they were told. Required; not in the future.")
    channel = choice(ContactChannel.choices, required=False, help_text="How they were told. Required.")
    note = text(5000)


class ApplicationCreateSerializer(StrictSerializer):
    """An application for an ASB Case Review received or made."""

    what_it_is = "case review application"

    applicant = PartyField(help_text='The reporter who applies: a party id from the case, or "reporter". Required.')
    route = choice(ApplicationRoute.choices, required=False, help_text="How the application came. Required.")
    received_on = _date("When it was received or made. Required; not before a complaint it relies on.")
    complaints = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False,
        help_text='The complaints it relies on, as the `id`s of the applicant\'s complaints in the case review '
        '(like "report:12" or "agency:3"). At least one.',
    )  # fmt: skip


class ApplicationUpdateSerializer(StrictSerializer):
    """The threshold decision, the review meeting and the outcome; leave out what does not change."""

    what_it_is = "case review application update"

    decision = choice(ThresholdDecision.choices, required=False, help_text="Met or not needs `decided_on`.")
    decided_on = _date("The date of the decision; not before the application was received.")
    decision_reason = text(5000, help_text="Why; required when the threshold was not met.")
    meeting_on = _date("The review meeting; only after a decision that the threshold was met.")
    outcome = text(5000)
    outcome_letter_sent_on = _date("When the outcome letter was sent; after the meeting.")
    version = text(64, help_text="The application's `version` as last read; if it changed since, 409.")


class RecommendationCreateSerializer(StrictSerializer):
    """A recommendation of the review panel; it joins the case's action plan."""

    what_it_is = "recommendation"

    text = common.text(2000, help_text="The recommendation. Required.")
    owner = choice(
        [(ActionOwner.LANDLORD.value, "The landlord"), (ActionOwner.PARTNER.value, "A partner agency")],
        help_text="Who will do it. Required.",
    )
    owner_user = common.text(150, help_text="For the landlord: the user name of the member of staff. Required then.")
    owner_partner = common.text(120, help_text="For a partner: a partner code of the landlord's policy, or its name.")
    due_on = _date("When it is due. Required.")


# ---- documents ------------------------------------------------------------------------------------


class AreaSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    gss_code = serializers.CharField()
    threshold_complaints = serializers.IntegerField()
    hate_incident_qualifies = serializers.BooleanField()
    community_reports = serializers.IntegerField(allow_null=True)
    lead_agency = serializers.CharField()
    contact_name = serializers.CharField()
    contact_email = serializers.CharField()
    contact_phone = serializers.CharField()
    procedure_url = serializers.CharField()
    decision_within_days = serializers.IntegerField(allow_null=True)
    review_within_days = serializers.IntegerField(allow_null=True)


def area_document(area: LocalAuthorityArea) -> dict[str, Any]:
    return {
        "id": area.pk, "name": area.name, "gss_code": area.gss_code, "threshold_complaints": area.threshold_complaints,
        "hate_incident_qualifies": area.hate_incident_qualifies, "community_reports": area.community_reports,
        "lead_agency": area.lead_agency, "contact_name": area.contact_name, "contact_email": area.contact_email,
        "contact_phone": area.contact_phone, "procedure_url": area.procedure_url,
        "decision_within_days": area.decision_within_days, "review_within_days": area.review_within_days,
    }  # fmt: skip


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def complaint_document(c: Complaint, counted: bool) -> dict[str, Any]:
    return {
        "id": f"{c.kind}:{c.ref}", "kind": c.kind, "label": c.label, "made_on": c.made_on.isoformat(),
        "incident_on": _day(c.incident_on), "hate": c.hate, "qualifies": c.qualifies, "counted": counted,
    }  # fmt: skip


def standing_document(s: ReporterStanding) -> dict[str, Any]:
    a = s.assessment
    return {
        "party": s.party.pk, "name": s.party.display_name, "counted": a.count, "threshold": a.threshold,
        "met": a.met, "rule": a.rule, "lapses_on": _day(a.lapses_on), "tell_now": s.tell_now,
        "told_on": _day(s.told.told_on) if s.told else None,
        "complaints": [complaint_document(c, c in a.counted) for c in s.complaints],
    }  # fmt: skip


class RecommendationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    text = serializers.CharField()
    owner = serializers.CharField()
    action = serializers.IntegerField(allow_null=True)


class ApplicationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    version = serializers.CharField()
    case = serializers.CharField()
    applicant = serializers.IntegerField(allow_null=True)
    applicant_name = serializers.CharField()
    route = serializers.CharField()
    received_on = serializers.DateField()
    complaints = serializers.ListField(child=serializers.DictField())
    decision = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    decision_reason = serializers.CharField()
    meeting_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    outcome_letter_sent_on = serializers.DateField(allow_null=True)
    recommendations = RecommendationSerializer(many=True, required=False)


def application_document(a: CaseReviewApplication, *, recommendations: bool = True) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": a.pk, "version": version_of(a.updated_at), "case": a.case.reference, "applicant": a.applicant_id,
        "applicant_name": a.applicant.display_name if a.applicant else a.applicant_name, "route": a.route,
        "received_on": a.received_on.isoformat(),
        "complaints": [
            {"id": f"{c.get('kind')}:{c.get('id')}", "kind": c.get("kind"), "made_on": c.get("made_on"),
             "incident_on": c.get("incident_on")}
            for c in a.complaints
        ],
        "decision": a.decision, "decided_on": _day(a.decided_on), "decision_reason": a.decision_reason,
        "meeting_on": _day(a.meeting_on), "outcome": a.outcome,
        "outcome_letter_sent_on": _day(a.outcome_letter_sent_on),
    }  # fmt: skip
    if recommendations:
        found["recommendations"] = [
            {"id": r.pk, "text": r.text, "owner": r.owner, "action": r.action_id} for r in a.recommendations.all()
        ]
    return found


def case_review_document(case_reference: str, status: CaseReviewStatus, tell_at: int) -> dict[str, Any]:
    rule = status.rule
    return {
        "case": case_reference,
        "as_at": status.as_at.isoformat(),
        "area": area_document(status.area) if status.area else None,
        "threshold": {
            "complaints": rule.complaints,
            "hate_incident_qualifies": rule.hate_incident_qualifies,
            "community_reports": rule.community_reports,
        },
        "tell_reporter_at": tell_at,
        "reporters": [standing_document(s) for s in status.reporters],
        "applications": [application_document(a) for a in status.applications],
    }


def eligible_document(row: EligibleRow) -> dict[str, Any]:
    found = standing_document(row.standing)
    found.pop("complaints")
    return {"case": row.case.reference, "area": row.area.name if row.area else None, **found}
