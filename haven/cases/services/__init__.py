"""Every write to a case. ``core``: opening, re-categorising, contacts, the contact plan and
reassignment; the other modules each own one part of the case workspace (issue 5)."""

from haven.cases.services.core import (
    CASEWORK,
    PLAN_MAX_DAYS,
    case_flags,
    case_open,
    case_reassign,
    case_recategorise,
    case_reference,
    contact_plan_agree,
    contact_record,
    next_contact_due,
    party_add,
)

__all__ = [
    "CASEWORK",
    "PLAN_MAX_DAYS",
    "case_flags",
    "case_open",
    "case_reassign",
    "case_recategorise",
    "case_reference",
    "contact_plan_agree",
    "contact_record",
    "next_contact_due",
    "party_add",
]
