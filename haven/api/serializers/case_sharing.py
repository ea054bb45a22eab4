"""Information sharing in the API: the bodies of a sharing log entry, a sharing agreement and a case
from partner intelligence, and how each is shown (emh 6.3-6.4; WWH 4.0).

The request serializers check shapes and codes; the rules are in
``haven.interventions.services.sharing``.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haven.api.serializers.common import AwareDateTimeField, StrictSerializer, choice, text
from haven.common.stale import version_of
from haven.interventions.models.partnership import LawfulBasis, ShareDirection, ShareMethod, SharingAgreement
from haven.interventions.selectors.sharing import LogRow

DATE_ERRORS: dict[str, Any] = {"invalid": "Give the date as YYYY-MM-DD, like 2026-03-27."}


def _date(help_text: str, **options: Any) -> serializers.DateField:
    options.setdefault("required", False)
    options.setdefault("allow_null", True)
    return serializers.DateField(help_text=help_text, error_messages=DATE_ERRORS, **options)


# ---- bodies ---------------------------------------------------------------------------------------


class InformationShareCreateSerializer(StrictSerializer):
    """One entry of the case's information sharing log (emh 6.3-6.4)."""

    what_it_is = "information share"

    direction = choice(ShareDirection.choices, required=False, help_text="Disclosed or received. Required.")
    partner = text(40, help_text="A partner code of the landlord's policy; or give `organisation`.")
    organisation = text(200, help_text="The organisation's name, when it is not a partner of the policy.")
    what = text(5000, help_text="What was shared: the information, not a copy. Required.")
    shared_on = _date("When it was shared. Required; not in the future.")
    method = choice(ShareMethod.choices, required=False, help_text="How it was shared. Required.")
    agreement = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="A disclosure: the id of an active sharing agreement of the landlord.",
    )
    lawful_basis = choice(
        LawfulBasis.choices, required=False, allow_blank=True,
        help_text="A disclosure without an agreement: the lawful basis, with `basis_detail`.",
    )  # fmt: skip
    basis_detail = text(5000, help_text="Why the lawful basis allows the disclosure.")
    approved_by = text(150, help_text="A disclosure: the user name of who approved it (a role the policy allows).")
    handling = text(
        5000, help_text="Information received: how it must be handled, or 'No restrictions'. Required then."
    )


class SharingAgreementBodySerializer(StrictSerializer):
    """An information sharing agreement of the caller's landlord (emh 6.3)."""

    what_it_is = "sharing agreement"

    title = text(200, help_text="Unique within the landlord. Required.")
    parties = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False,
        help_text="The organisations party to it. At least one.",
    )  # fmt: skip
    purpose = text(5000, help_text="What it is for. Required.")
    signed_on = _date("When it was signed; not in the future.")
    review_on = _date("When it is due for review. Required; not before it was signed.")
    active = serializers.BooleanField(required=False, help_text="In force (default true).")


class SharingAgreementPatchSerializer(SharingAgreementBodySerializer):
    """A change to an agreement; leave out what does not change."""

    what_it_is = "sharing agreement change"

    version = text(64, help_text="The agreement's `version` as last read; if it changed since: 409, nothing saved.")


class IntelligenceCaseSerializer(StrictSerializer):
    """A case opened from a partner's intelligence (WWH 4.0)."""

    what_it_is = "intelligence case"

    partner = text(40, help_text="A partner agency code of the landlord's policy. Required.")
    received_at = AwareDateTimeField(required=False, allow_null=True, help_text="When it was received. Required.")
    method = choice(ShareMethod.choices, required=False, help_text="How it was received (default secure_email).")
    summary = text(5000, help_text="A summary of the intelligence. Required.")
    category = text(40, help_text="A category code of the policy. Required.")
    tier = text(40, help_text="A tier id of the policy. Required.")
    property_reference = text(40, help_text="A property reference of the register; or `location` and `postcode`.")
    location = text(300, help_text="Where, when it is not one of the landlord's homes.")
    postcode = text(10, help_text="The location's postcode.")
    handling = text(5000, help_text="How it must be handled, or 'No restrictions'. Required.")


# ---- documents ------------------------------------------------------------------------------------


class LogEntrySerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(
        help_text="`share`: an entry of the log; `referral`: a referral, which is a disclosure."
    )
    id = serializers.IntegerField(help_text="The share's id, or the referral's.")
    direction = serializers.ChoiceField(choices=ShareDirection.choices)
    partner = serializers.CharField(allow_blank=True, help_text="A partner code of the policy, if one.")
    organisation = serializers.CharField()
    what = serializers.CharField()
    shared_on = serializers.DateField()
    method = serializers.CharField(help_text="How, in words.")
    agreement = serializers.IntegerField(allow_null=True)
    lawful_basis = serializers.CharField(allow_blank=True)
    basis = serializers.CharField(allow_blank=True, help_text="The agreement or lawful basis, in words.")
    approved_by = serializers.CharField(allow_null=True, help_text="The approver's user name.")
    handling = serializers.CharField(allow_blank=True)
    recorded_by = serializers.CharField(help_text="The user name of whoever recorded it.")


class SharingAgreementSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    parties = serializers.ListField(child=serializers.CharField())
    purpose = serializers.CharField()
    signed_on = serializers.DateField(allow_null=True)
    review_on = serializers.DateField()
    active = serializers.BooleanField()
    review_overdue = serializers.BooleanField(help_text="Its review date has passed.")
    version = serializers.CharField(help_text="Send it back with a change to guard against overwriting another.")


class IntelligenceCaseDocumentSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    lead_agency = serializers.CharField()
    restricted = serializers.BooleanField()
    share = LogEntrySerializer()


def log_document(row: LogRow) -> dict[str, Any]:
    share, referral = row.share, row.referral
    if share is not None:
        return {
            "kind": "share", "id": share.pk, "direction": share.direction, "partner": share.partner,
            "organisation": share.organisation, "what": share.what, "shared_on": share.shared_on.isoformat(),
            "method": row.method, "agreement": share.agreement_id, "lawful_basis": share.lawful_basis,
            "basis": row.basis,
            "approved_by": share.approved_by.get_username() if share.approved_by is not None else None,
            "handling": share.handling, "recorded_by": share.recorded_by.get_username(),
        }  # fmt: skip
    assert referral is not None
    return {
        "kind": "referral", "id": referral.pk, "direction": row.direction, "partner": referral.partner,
        "organisation": row.organisation, "what": referral.reason, "shared_on": referral.made_on.isoformat(),
        "method": row.method, "agreement": None, "lawful_basis": referral.lawful_basis, "basis": row.basis,
        "approved_by": None, "handling": "", "recorded_by": referral.made_by.get_username(),
    }  # fmt: skip


def agreement_document(agreement: SharingAgreement, *, overdue: bool) -> dict[str, Any]:
    return {
        "id": agreement.pk, "title": agreement.title, "parties": agreement.parties.splitlines(),
        "purpose": agreement.purpose, "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else None,
        "review_on": agreement.review_on.isoformat(), "active": agreement.active, "review_overdue": overdue,
        "version": version_of(agreement.updated_at),
    }  # fmt: skip
