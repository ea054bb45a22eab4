"""Every read of cases, scoped by landlord and role (accounts.permissions.can_view_case)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from haven.accounts.models import Role, User
from haven.accounts.permissions import can_view_case, same_landlord, sees_restricted
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import OPEN_STATUSES, Case, CaseStatus, ContactPlan, Party
from haven.cases.selectors.activity import active_q
from haven.cases.selectors.lists import (
    due_q,
    flag_q,
    patch_q,
    response_overdue_q,
    sorted_cases,
    update_overdue_q,
)
from haven.common.errors import ApplicationError


class NotFound(ApplicationError):
    """The case does not exist or the user may not see it: the same answer for both."""


def response_overdue(case: Case, now: datetime) -> bool:
    """Open, no first response yet, and past ``response_due_at`` (emh 4.2; whg 2.5)."""
    return case.is_open and case.first_response_at is None and case.response_due_at < now


def update_overdue(case: Case, now: datetime) -> bool:
    """Open and past the next update the contact plan set (whg 2.5)."""
    return case.is_open and case.next_contact_due_at is not None and case.next_contact_due_at < now


def cases_for_user(*, user: User) -> QuerySet[Case]:
    """The cases this user may see, as ``can_view_case`` says, as one query."""
    if not same_landlord(user, getattr(user, "landlord_id", None)) or user.role == Role.ADMIN:
        return Case.objects.none()
    cases = Case.objects.filter(landlord_id=user.landlord_id or 0)
    unrestricted = Q(restricted=False)
    if user.role in (Role.SPECIALIST, Role.MANAGER):
        return cases if sees_restricted(user) else cases.filter(unrestricted | Q(officer_id=user.pk))
    if user.role == Role.AUDITOR or user.role == Role.ADVISER:
        return cases.filter(unrestricted)
    own = Q(officer_id=user.pk)
    team = Q(team_id=user.team_id, restricted=False) if user.team_id else Q(pk__in=[])
    return cases.filter(own | team)


def case_list(
    *,
    user: User,
    status: str | None = None,
    tier: str | None = None,
    category: str | None = None,
    officer: str | None = None,
    opened_after: object | None = None,
    opened_before: object | None = None,
    active: bool | None = None,
    overdue: bool | None = None,
    contact_overdue: bool | None = None,
    flag: str | None = None,
    patch: str | None = None,
    due: str | None = None,
    sort: str | None = None,
    now: datetime | None = None,
) -> QuerySet[Case]:
    """Filtered cases for lists and the API; every filter has an index (cases.selectors.lists).

    ``status="open"`` includes reopened cases; ``active`` is derived from recent work (WWH 5.0:
    cases.selectors.activity), not the status; ``due`` is one of ``lists.DUE_STATES``.
    """
    now = now or timezone.now()
    cases = cases_for_user(user=user).select_related("officer", "team", "property")
    wants_profile = active is not None or bool(due)
    profile = landlord_profile(user.landlord) if wants_profile and user.landlord is not None else None
    if status == CaseStatus.OPEN:
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    if active is not None and profile is not None:
        live = active_q(profile, now)
        cases = cases.filter(live) if active else cases.exclude(live)
    if tier:
        cases = cases.filter(tier=tier)
    if category:
        cases = cases.filter(category=category)
    if officer:
        cases = cases.filter(officer__username=officer)
    if opened_after:
        cases = cases.filter(opened_at__gte=opened_after)
    if opened_before:
        cases = cases.filter(opened_at__lt=opened_before)
    if overdue is not None:
        late = response_overdue_q(now)
        cases = cases.filter(late) if overdue else cases.exclude(late)
    if contact_overdue is not None:
        missed = update_overdue_q(now)
        cases = cases.filter(missed) if contact_overdue else cases.exclude(missed)
    if flag:
        cases = cases.filter(flag_q(flag))
    if patch:
        cases = cases.filter(patch_q(landlord_id=user.landlord_id or 0, code=patch))
    if due and profile is not None:
        cases = cases.filter(due_q(due, profile=profile, now=now, today=timezone.localdate(now)))
    return sorted_cases(cases, sort, closed=status == CaseStatus.CLOSED)


def case_detail(*, user: User, reference: str, via: str = "web") -> Case:
    """One case with its parties; each view is audited (victims and alleged crime)."""
    try:
        case = (
            Case.objects.select_related("officer", "team", "property", "landlord", "contact_plan__party")
            .prefetch_related(
                "parties__person",
                "recategorisations",
                "contacts__party",
                "reassignments__officer_from",
                "reassignments__officer_to",
                "reassignments__by",
            )
            .get(landlord_id=getattr(user, "landlord_id", None) or 0, reference=reference)
        )
    except Case.DoesNotExist:
        raise NotFound(f"There is no case with the reference {reference}.") from None
    if not can_view_case(user, case):
        raise NotFound(f"There is no case with the reference {reference}.")
    with transaction.atomic():
        audit_record(actor=user, verb=Verb.CASE_VIEWED, target=case, via=via)
    return case


def open_cases_for_property(*, user: User, property_id: int) -> QuerySet[Case]:
    return cases_for_user(user=user).filter(property_id=property_id, status__in=OPEN_STATUSES).select_related("officer")


def cases_for_person(*, user: User, person_id: int) -> QuerySet[Case]:
    """Every case a register person appears in, with the role they have in each."""
    return (
        cases_for_user(user=user)
        .filter(parties__person_id=person_id)
        .select_related("officer")
        .distinct()
        .order_by("-opened_at")
    )


def cases_for_property(*, user: User, property_id: int) -> QuerySet[Case]:
    """Every case at a property that this user may see, newest first (the property page)."""
    return cases_for_user(user=user).filter(property_id=property_id).select_related("officer").order_by("-opened_at")


def person_case_roles(*, user: User, person_id: int) -> list[tuple[Case, list[str]]]:
    """Every case a register person appears in, with their roles in it (the person page): one query."""
    rows = (
        Party.objects.filter(person_id=person_id, case__in=cases_for_user(user=user))
        .select_related("case__officer")
        .order_by("-case__opened_at", "case_id")
    )
    found: dict[int, tuple[Case, list[str]]] = {}
    for party in rows:
        found.setdefault(party.case_id, (party.case, []))[1].append(party.get_role_display())
    return list(found.values())


def case_reports(*, case: Case) -> QuerySet[Any]:
    """The reports on a case, oldest first, through the reverse relation (cases never import intake)."""
    return case.reports.order_by("received_at")


def plan_of(case: Case) -> ContactPlan | None:
    """The case's contact plan, or None (a reverse one-to-one raises when there is none)."""
    try:
        return case.contact_plan
    except ContactPlan.DoesNotExist:
        return None


def caseworkers(*, landlord_id: int) -> list[User]:
    """Who can be given a case: the landlord's active officers, specialists and managers."""
    return list(
        User.objects.filter(landlord_id=landlord_id, is_active=True, role__in=["officer", "specialist", "manager"])
        .select_related("team")
        .order_by("first_name", "last_name", "username")
    )


def case_staff_names(*, case: Case) -> dict[int, str]:
    """The names of the staff who recorded a case's contacts and re-categorisations, as one query
    (the lists come from case_detail's prefetch; a name per row would cost a query per row)."""
    ids = {c.recorded_by_id for c in case.contacts.all()} | {r.by_id for r in case.recategorisations.all()}
    ids.discard(None)
    if not ids:
        return {}
    return {u.pk: u.display_name for u in User.objects.filter(pk__in=ids)}
