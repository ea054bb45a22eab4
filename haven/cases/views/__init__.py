"""The case pages. ``core``: the case page and its first forms, and ``case_part``, through which
each other module here adds its section of the workspace (issue 5) to the case page; ``lists``: the
case lists."""

# Each part module registers its section of the case page on import (views.core.case_part).
from haven.cases.views import (  # noqa: F401  (register their case parts; outcomes: risk's row forms)
    incidents,
    notes,
    outcomes,
    parties,
    plans,
    risk,
)
from haven.cases.views.core import (
    PAGE_SIZE,
    SCOPES,
    case_form_post,
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
from haven.cases.views.lists import case_list_page
from haven.cases.views.timeline import timeline_page
from haven.cases.views.workflow import case_close, case_reopen

__all__ = [
    "PAGE_SIZE",
    "SCOPES",
    "case_close",
    "case_form_post",
    "case_list_page",
    "case_page",
    "case_part",
    "case_reopen",
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
    "timeline_page",
    "update_clock",
]
