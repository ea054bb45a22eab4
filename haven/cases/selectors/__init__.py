"""Every read of cases, scoped by landlord and role. ``core``: lists, the case, its people and
clocks; the other modules each read one part of the case workspace (issue 5)."""

from haven.cases.selectors.core import (
    NotFound,
    case_detail,
    case_list,
    case_reports,
    case_staff_names,
    cases_for_person,
    cases_for_property,
    cases_for_user,
    caseworkers,
    open_cases_for_property,
    person_case_roles,
    plan_of,
    response_overdue,
    update_overdue,
)

__all__ = [
    "NotFound",
    "case_detail",
    "case_list",
    "case_reports",
    "case_staff_names",
    "cases_for_person",
    "cases_for_property",
    "cases_for_user",
    "caseworkers",
    "open_cases_for_property",
    "person_case_roles",
    "plan_of",
    "response_overdue",
    "update_overdue",
]
