"""The case workspace's filters of ``GET /api/v1/cases`` (issue 5): ``flag``, ``patch``, ``due`` and
``sort``, read here so that ``views/cases.py`` stays small. Each is backed by an index
(cases.selectors.lists)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from haven.cases.selectors.lists import DUE_STATES, SORTS
from haven.policies.schema import Flag

FLAGS = [f.value for f in Flag]

PARAMETERS = [
    OpenApiParameter("flag", OpenApiTypes.STR, enum=FLAGS, description="Cases with this flag."),
    OpenApiParameter("patch", OpenApiTypes.STR, description="The code of a housing management patch."),
    OpenApiParameter(
        "due",
        OpenApiTypes.STR,
        enum=list(DUE_STATES),
        description=(
            "response: first response overdue; update: the contact plan's update overdue; plan: no agreed action "
            "plan and past when one was due; action: an open action due before today; inactive: open with no work "
            "recorded within the policy's casework.inactive_after (WWH 5.0)."
        ),
    ),
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=list(SORTS),
        description="due (default): what is due next first, nothing due last; opened: newest first.",
    ),
]


def workspace_filters(params: Any, problems: dict[str, list[str]]) -> dict[str, Any]:
    """The filters above from the query string; a problem per parameter that cannot be read."""
    filters: dict[str, Any] = {}
    for name, allowed, what in (
        ("flag", FLAGS, "a flag"),
        ("due", list(DUE_STATES), "a due state"),
        ("sort", list(SORTS), "a sort order"),
    ):
        value = params.get(name, "").strip()
        if value and value not in allowed:
            problems[name] = [f"'{value}' is not {what}: {', '.join(allowed)}."]
        elif value:
            filters[name] = value
    patch = params.get("patch", "").strip()
    if len(patch) > 20:
        problems["patch"] = ["A patch code has at most 20 characters."]
    elif patch:
        filters["patch"] = patch
    return filters
