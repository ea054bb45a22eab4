"""The case timeline: its first page on the case page (section "timeline"), and a page of its own
with older entries and the "show views" toggle (who saw the case)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from haven.accounts.models import User
from haven.cases.models import Case
from haven.cases.selectors.timeline import case_timeline
from haven.cases.views.core import case_part, load_case


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    return {"timeline": case_timeline(user=user, case=case)}


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 7 else 1


@require_GET
def timeline_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Every entry of the case's timeline, 50 a page, newest first; ``?views=yes`` adds who saw it."""
    user, case, refused = load_case(request, reference)
    if refused is not None:
        return refused
    assert user is not None and case is not None
    show_views = request.GET.get("views") == "yes"
    timeline = case_timeline(user=user, case=case, show_views=show_views, page=_page_number(request.GET.get("page")))
    return render(request, "cases/timeline.html", {"case": case, "timeline": timeline, "timeline_full": True})
