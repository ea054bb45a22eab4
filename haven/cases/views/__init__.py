"""The case pages. ``core``: the list, the case page and its first forms, and ``case_part``, through
which each other module here adds its section of the workspace (issue 5) to the case page."""

from haven.cases.views.core import (
    PAGE_SIZE,
    SCOPES,
    case_form_post,
    case_list_page,
    case_page,
    case_part,
    clock,
    contact_add,
    contact_plan,
    forbidden,
    load_case,
    party_of,
    reassign,
    recategorise,
    see_other,
    staff_user,
    update_clock,
)

# Each part module registers its section of the case page on import (views.core.case_part).
# from haven.cases.views import risk

__all__ = [
    "PAGE_SIZE",
    "SCOPES",
    "case_form_post",
    "case_list_page",
    "case_page",
    "case_part",
    "clock",
    "contact_add",
    "contact_plan",
    "forbidden",
    "load_case",
    "party_of",
    "reassign",
    "recategorise",
    "see_other",
    "staff_user",
    "update_clock",
]
