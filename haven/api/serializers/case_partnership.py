"""Referrals and partnership meetings in the API: the bodies of a referral, a partner's answer, a
meeting listing and a meeting's record, and how each is shown (emh 6.1-6.2, 4.13; WWH 4.0).

The request serializers check shapes and codes; the rules are in
``haven.interventions.services.partnership``.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haven.api.serializers.case_plans import DATE_ERRORS, ActionSerializer
from haven.api.serializers.cases import PartyField
from haven.api.serializers.common import StrictSerializer, choice, text
from haven.cases.models import ActionOwner
from haven.common.stale import version_of
from haven.interventions.models import Consent, LawfulBasis
from haven.interventions.selectors.partnership import MeetingRow, ReferralRow


def _date(help_text: str) -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True, help_text=help_text, error_messages=DATE_ERRORS)


# ---- bodies ---------------------------------------------------------------------------------------


class ReferralCreateSerializer(StrictSerializer):
    """A referral to a partner agency or forum of the landlord's policy."""

    what_it_is = "referral"

    partner = text(40, help_text="A partner code of the landlord's policy (GET /api/v1/policy). Required.")
    party = PartyField(
        required=False, allow_null=True, help_text='About whom: a party id from the case, or "reporter". Optional.'
    )
    made_on = _date("When it was made. Required; not in the future nor before the case opened.")
    reason = text(5000, help_text="Why the case is referred. Required.")
    consent = choice(Consent.choices, required=False, help_text="Required.")
    lawful_basis = choice(
        LawfulBasis.choices, required=False, allow_blank=True,
        help_text="Required when consent is refused or not sought, and then not `consent` (emh 4.13).",
    )  # fmt: skip
    basis_detail = text(5000, help_text="Why sharing without consent is lawful; required without consent.")
    response_due_on = _date(
        "When the answer is expected; by default the policy's `partnership.referral_response_within` in working "
        "days from the day it was made. Not before it was made."
    )


class ReferralResponseSerializer(StrictSerializer):
    """The partner's answer to a referral."""

    what_it_is = "referral answer"

    responded_on = _date("When the partner answered. Required; not before the referral, not in the future.")
    response = text(5000, help_text="What they answered. Required.")
    outcome = text(5000, help_text="What came of it.")
    version = text(
        64,
        help_text="The referral's `version` as last read; if it changed since, the answer is 409 and nothing is saved.",
    )


class MeetingListSerializer(StrictSerializer):
    """A listing of the case for a partnership meeting (emh 6.2)."""

    what_it_is = "meeting listing"

    forum = text(40, help_text="A partner code of kind `forum` of the landlord's policy (MARAC, JAG...). Required.")
    meets_on = _date("The date of the meeting. Required; not before the case opened.")
    reason = text(5000, help_text="Why the case is listed. Required.")


class MeetingActionSerializer(StrictSerializer):
    """One action the meeting agreed; it joins the case's action plan."""

    what_it_is = "meeting action"

    description = text(2000, help_text="What will be done. Required.")
    owner = choice(ActionOwner.choices, required=False, help_text="Who will do it. Required.")
    owner_user = text(150, help_text="For owner landlord: the user name of the member of staff.")
    owner_party = PartyField(
        required=False, allow_null=True, help_text='For owner reporter or party: a party id, or "reporter".'
    )
    owner_partner = text(200, help_text="For owner partner: a partner code of the landlord's policy, or a name.")
    due_on = _date("When it is due. Required; not before the case opened.")


class MeetingRecordSerializer(StrictSerializer):
    """What the meeting decided and the actions it agreed, all saved or none."""

    what_it_is = "meeting record"

    held = serializers.BooleanField(required=False, help_text="Whether the meeting was held and discussed the case.")
    summary = text(10000, help_text="What it decided, or why the case was not discussed. Required.")
    actions = MeetingActionSerializer(many=True, required=False, help_text="The actions it agreed; none if not held.")
    version = text(
        64,
        help_text="The meeting's `version` as last read; if it changed since, the answer is 409 and nothing is saved.",
    )


# ---- documents ------------------------------------------------------------------------------------


class ReferralSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    case = serializers.CharField(help_text="The case reference.")
    partner = serializers.CharField(help_text="The partner code.")
    partner_label = serializers.CharField()
    party = serializers.IntegerField(allow_null=True, help_text="The party id it is about, if one.")
    about = serializers.CharField(allow_blank=True, help_text="Whom it is about, in words.")
    made_on = serializers.DateField()
    reason = serializers.CharField()
    consent = serializers.ChoiceField(choices=Consent.choices)
    lawful_basis = serializers.ChoiceField(choices=LawfulBasis.choices, allow_blank=True)
    basis_detail = serializers.CharField(allow_blank=True)
    response_due_on = serializers.DateField()
    responded_on = serializers.DateField(allow_null=True)
    response = serializers.CharField(allow_blank=True)
    outcome = serializers.CharField(allow_blank=True)
    overdue = serializers.BooleanField(help_text="Unanswered and past response_due_on (WWH 4.0).")
    version = serializers.CharField(help_text="Send it back with the answer to guard against overwriting a change.")


class MeetingSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    forum = serializers.CharField(help_text="The forum's partner code.")
    forum_label = serializers.CharField()
    meets_on = serializers.DateField()
    reason = serializers.CharField()
    held = serializers.BooleanField()
    summary = serializers.CharField(allow_blank=True)
    actions = ActionSerializer(many=True, help_text="The actions it agreed, as on the action plan.")
    version = serializers.CharField()


def referral_document(reference: str, row: ReferralRow) -> dict[str, Any]:
    r = row.referral
    return {
        "id": r.pk, "case": reference, "partner": r.partner, "partner_label": row.partner, "party": r.party_id,
        "about": row.about, "made_on": r.made_on.isoformat(), "reason": r.reason, "consent": r.consent,
        "lawful_basis": r.lawful_basis, "basis_detail": r.basis_detail,
        "response_due_on": r.response_due_on.isoformat(),
        "responded_on": r.responded_on.isoformat() if r.responded_on else None, "response": r.response,
        "outcome": r.outcome, "overdue": row.overdue, "version": version_of(r.updated_at),
    }  # fmt: skip


def meeting_document(row: MeetingRow, actions: list[dict[str, Any]]) -> dict[str, Any]:
    m = row.meeting
    return {
        "id": m.pk, "forum": m.forum, "forum_label": row.forum, "meets_on": m.meets_on.isoformat(), "reason": m.reason,
        "held": m.held, "summary": m.summary, "actions": actions, "version": version_of(m.updated_at),
    }  # fmt: skip
