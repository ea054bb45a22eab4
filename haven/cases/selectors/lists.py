"""The filters and sorts of the case lists (the page and ``GET /api/v1/cases``), each backed by an
index of ``Case.Meta`` or ``CaseFlag.Meta`` so a list costs the same however many cases there are.

| filter | rule | index |
|---|---|---|
| flag | a CaseFlag row with that flag (``Exists``) | case_flag_lookup (flag, case) |
| patch | ``Case.patch`` by the patch's code | case_patch (landlord, patch, status) |
| due=response | open, no first response, past ``response_due_at`` (emh 4.2; whg 2.5) | case_status_due |
| due=update | open, past the contact plan's next update (whg 2.5) | case_contact_due |
| due=plan | open, no agreed action plan and past ``action_plan_due_at`` (Livv; pnp 5.1) | case_plan_due |
| due=action | open, with an open action due before today | action_case_due (case, status, due_on) |
| due=inactive | open, no work within ``casework.inactive_after`` (WWH 5.0) | case_activity |
| sort=due | ``next_due_at``, soonest first, nothing due last | case_next_due |
| sort=opened | ``opened_at``, newest first | case_opened |
| status=closed | ``closed_at``, newest first (nothing is due on a closed case) | case_closed |
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from haven.cases.models import OPEN_STATUSES, Case, CaseFlag
from haven.cases.selectors.activity import inactive_q
from haven.cases.selectors.plans import action_overdue_q, plan_breach_q
from haven.policies.schema import PolicyProfile
from haven.register.models import Patch

DUE_STATES: dict[str, str] = {
    "response": "First response overdue",
    "update": "Update overdue",
    "plan": "Action plan overdue",
    "action": "Action overdue",
    "inactive": "Inactive",
}
SORTS: dict[str, str] = {"due": "What is due next", "opened": "Opened, newest first"}


def response_overdue_q(now: datetime) -> Q:
    """Open, no first response yet, past ``response_due_at`` (emh 4.2; whg 2.5): the Q form of
    ``selectors.core.response_overdue``."""
    return Q(first_response_at__isnull=True, response_due_at__lt=now, status__in=OPEN_STATUSES)


def update_overdue_q(now: datetime) -> Q:
    """Open and past the contact plan's next update (whg 2.5)."""
    return Q(next_contact_due_at__lt=now, status__in=OPEN_STATUSES)


def flag_q(flag: str) -> Q:
    return Q(Exists(CaseFlag.objects.filter(case=OuterRef("pk"), flag=flag)))


def patch_q(*, landlord_id: int, code: str) -> Q:
    """Cases in the landlord's patch with this code, by the patch's id (index case_patch)."""
    return Q(patch_id__in=Patch.objects.filter(landlord_id=landlord_id, code=code).values("pk"))


def due_q(state: str, *, profile: PolicyProfile, now: datetime, today: date) -> Q:
    """The cases in one due state (DUE_STATES); an unknown state is refused by the caller."""
    if state == "response":
        return response_overdue_q(now)
    if state == "update":
        return update_overdue_q(now)
    if state == "plan":
        return plan_breach_q(now)
    if state == "action":
        return action_overdue_q(today)
    if state == "inactive":
        return inactive_q(profile, now)
    raise ValueError(state)


def sorted_cases(cases: QuerySet[Case], sort: str | None, *, closed: bool = False) -> QuerySet[Case]:
    """By what is due next (nothing due last), or by when the case opened (newest first). A list of
    closed cases, where nothing is due, is by when they closed, newest first (index case_closed)."""
    if sort == "opened":
        return cases.order_by("-opened_at", "-pk")
    if closed:
        return cases.order_by("-closed_at", "-pk")
    return cases.order_by(F("next_due_at").asc(nulls_last=True), "response_due_at", "pk")


def patch_choices(*, landlord_id: int) -> list[tuple[str, str]]:
    """The landlord's patches as (code, name) for the list's patch filter: one query."""
    rows = Patch.objects.filter(landlord_id=landlord_id).order_by("name", "code").values_list("code", "name")
    return [(code, f"{name} ({code})" if name else code) for code, name in rows]
