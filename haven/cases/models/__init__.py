"""The case and everything it holds. ``core``: the case itself, its parties, contacts and history;
``workspace``: the officer's working records (issue 5): risk assessments, support needs and
safeguarding concerns, the action plan, incidents and diary links, files, notes, flags and status
changes; ``closure``: each closure of a case, with its conditions and sign-off (issue 7)."""

from haven.cases.models.closure import Closure, SignOff
from haven.cases.models.core import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    Contact,
    ContactChannel,
    ContactPlan,
    Finding,
    HateStrand,
    Party,
    PartyRole,
    Reassignment,
    Recategorisation,
)
from haven.cases.models.workspace import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionOwner,
    ActionPlan,
    ActionStatus,
    CaseFile,
    CaseFlag,
    DiaryLink,
    FileKind,
    Incident,
    IncidentSource,
    Note,
    RiskAssessment,
    SafeguardingAbout,
    SafeguardingConcern,
    StatusChange,
    SupportNeed,
    SupportNeedKind,
)

__all__ = [
    "OPEN_ACTION_STATUSES", "OPEN_STATUSES", "Action", "ActionOwner", "ActionPlan", "ActionStatus", "Case",
    "CaseFile", "CaseFlag", "CaseStatus", "Closure", "Contact", "ContactChannel", "ContactPlan", "DiaryLink",
    "FileKind", "Finding", "HateStrand", "Incident", "IncidentSource", "Note", "Party", "PartyRole",
    "Reassignment", "Recategorisation", "RiskAssessment", "SafeguardingAbout", "SafeguardingConcern", "SignOff",
    "StatusChange", "SupportNeed", "SupportNeedKind",
]  # fmt: skip
