"""Interventions, legal action and partnership (issue 6). ``toolkit``: interventions from the
profile's toolkit (advice to agreements and partner powers) with agreements' terms, breaches and
reviews; ``legal``: legal actions through their stages, with the proportionality assessment, the
approval and hearings; ``partnership``: referrals, partnership meetings, information sharing and
the landlord's sharing agreements."""

from haven.interventions.models.legal import (
    Hearing,
    HearingKind,
    LegalAction,
    LegalStage,
    LegalStageChange,
    ProportionalityAssessment,
)
from haven.interventions.models.partnership import (
    Consent,
    InformationShare,
    LawfulBasis,
    MeetingAction,
    PartnershipMeeting,
    Referral,
    ShareDirection,
    ShareMethod,
    SharingAgreement,
)
from haven.interventions.models.toolkit import (
    AgreementBreach,
    AgreementReview,
    AgreementTerm,
    Intervention,
    InterventionKind,
    InterventionStatus,
)

__all__ = [
    "AgreementBreach", "AgreementReview", "AgreementTerm", "Consent", "Hearing", "HearingKind",
    "InformationShare", "Intervention", "InterventionKind", "InterventionStatus", "LawfulBasis",
    "LegalAction", "LegalStage", "LegalStageChange", "MeetingAction", "PartnershipMeeting",
    "ProportionalityAssessment", "Referral", "ShareDirection", "ShareMethod", "SharingAgreement",
]  # fmt: skip
