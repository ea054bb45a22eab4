"""The case lists: "My cases", "My team's cases" and every case the user may see (a manager's view of
all the landlord's cases), filtered and sorted by ``cases.selectors.case_list`` (each filter backed
by an index: cases.selectors.lists) and paginated, 50 a page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from haven.accounts.models import Role
from haven.accounts.selectors import landlord_profile
from haven.cases.models import CaseStatus
from haven.cases.selectors import case_list, caseworkers
from haven.cases.selectors.activity import activity_tag
from haven.cases.selectors.lists import DUE_STATES, SORTS, patch_choices
from haven.cases.views.core import PAGE_SIZE, SCOPES, _labels, clock, forbidden, staff_user, update_clock
from haven.policies.schema import FLAG_LABELS, flag_label

STATUS_CHOICES = {"open": "Open (and reopened)", "reopened": "Reopened", "closed": "Closed", "": "Any status"}
FLAG_CHOICES = {str(code): label for code, label in FLAG_LABELS.items()}


@require_GET
def case_list_page(request: HttpRequest) -> HttpResponse:
    """Cases sorted by what is due next (or by opened date); "My cases" for officers, everything
    visible for others; filters by status (open includes reopened), tier, category, flag, officer
    (managers and specialists), patch and due state. Each row shows its flags, Active / Inactive
    (WWH 5.0) and the next date due."""
    user = staff_user(request)
    if user is None or user.landlord is None:
        return forbidden(request)
    profile = landlord_profile(user.landlord)
    default_scope = "mine" if user.role == Role.OFFICER else "all"
    scope = request.GET.get("scope", default_scope)
    scope = scope if scope in SCOPES else default_scope
    chooses_officer = user.role in (Role.MANAGER, Role.SPECIALIST)
    staff = caseworkers(landlord_id=user.landlord.pk) if chooses_officer else []
    patches = patch_choices(landlord_id=user.landlord.pk)

    def wanted(name: str, allowed: Any, default: str = "") -> str:
        value = request.GET.get(name, default)
        return value if value in allowed else default

    f: dict[str, Any] = {
        "tier": wanted("tier", {t.id for t in profile.triage.tiers}),
        "category": wanted("category", {c.code for c in profile.categories}),
        "status": wanted("status", STATUS_CHOICES, CaseStatus.OPEN),
        "flag": wanted("flag", FLAG_CHOICES),
        "officer": wanted("officer", {u.username for u in staff}),
        "patch": wanted("patch", {code for code, _ in patches}),
        "due": wanted("due", DUE_STATES),
        "sort": wanted("sort", SORTS, "due"),
        "overdue": request.GET.get("overdue") == "yes",
        "update_overdue": request.GET.get("update_overdue") == "yes",
    }
    if request.GET.get("status") == "":
        f["status"] = ""
    now = timezone.now()
    cases = case_list(
        user=user, status=f["status"] or None, tier=f["tier"] or None, category=f["category"] or None,
        flag=f["flag"] or None, officer=f["officer"] or None, patch=f["patch"] or None, due=f["due"] or None,
        sort=f["sort"], overdue=True if f["overdue"] else None, contact_overdue=True if f["update_overdue"] else None,
        now=now,
    )  # fmt: skip
    if scope == "mine":
        cases = cases.filter(officer=user)
    elif scope == "team":
        cases = cases.filter(team_id=user.team_id) if user.team_id else cases.none()
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    page_links = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    categories, tiers = _labels(profile)
    rows = [
        {
            "case": c,
            "category": categories.get(c.category, c.category),
            "tier": tiers.get(c.tier, c.tier),
            "clock": clock(c, now),
            "update": update_clock(c, now),
            "activity": activity_tag(c, profile, now),
            "flags": [flag_label(flag) for flag in c.flags or []],
        }
        for c in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    scopes = {**SCOPES, "all": "All cases" if user.role == Role.MANAGER else SCOPES["all"]}
    context = {
        "rows": rows, "page": page, "page_links": page_links, "scope": scope, "scopes": scopes,
        "scope_label": scopes[scope], "profile": profile, "filters": f, "query": query.urlencode(),
        "status_choices": STATUS_CHOICES, "flag_choices": FLAG_CHOICES, "due_choices": DUE_STATES,
        "sort_choices": SORTS, "staff": staff, "patches": patches,
    }  # fmt: skip
    return render(request, "cases/list.html", context)
