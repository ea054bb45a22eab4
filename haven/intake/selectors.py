"""Every read of reports: the triage queue, one report, and what a new report might belong to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from haven.accounts.models import Landlord, User
from haven.accounts.permissions import can_take_report
from haven.accounts.selectors import landlord_calendar
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import OPEN_STATUSES, Case, Party
from haven.cases.selectors import cases_for_user
from haven.common.errors import ApplicationError
from haven.common.working_time import TimeUnit
from haven.intake.models import TRIAGED, Evidence, Report, ReportStatus


class NotFound(ApplicationError):
    """The record does not exist or the user may not see it: the same answer for both."""


def _landlord(user: User) -> int:
    if not can_take_report(user) and getattr(user, "role", "") != "auditor":
        raise NotFound("You cannot see reports.")
    return user.landlord_id  # type: ignore[return-value]


def triage_queue(*, user: User) -> QuerySet[Report]:
    """Reports waiting for a decision, oldest first (the clock runs from receipt)."""
    return (
        Report.objects.filter(landlord_id=_landlord(user), status=ReportStatus.NEW)
        .select_related("property")
        .annotate(evidence_count=Count("evidence"))
        .order_by("received_at", "pk")
    )


def report_detail(*, user: User, reference: str, via: str = "web") -> Report:
    """One report; each view is audited (a report names victims and alleged perpetrators)."""
    try:
        report = (
            Report.objects.select_related("property__patch", "reporter_person", "case", "recorded_by", "triaged_by")
            .prefetch_related("evidence")
            .get(landlord_id=_landlord(user), reference=reference)
        )
    except Report.DoesNotExist:
        raise NotFound(f"There is no report with the reference {reference}.") from None
    with transaction.atomic():
        audit_record(actor=user, verb=Verb.REPORT_VIEWED, target=report, via=via)
    return report


def evidence_for_user(*, user: User, evidence_id: int) -> Evidence:
    try:
        return Evidence.objects.select_related("report").get(pk=evidence_id, landlord_id=_landlord(user))
    except Evidence.DoesNotExist:
        raise NotFound("There is no such evidence file.") from None


def link_candidates(*, user: User, report: Report, limit: int = 10) -> list[Case]:
    """Open cases the report may be about: the same property or address, or the same reporter as a
    party (issue 4 "Linking"). A closed case is never offered: a new report after closure opens a
    new case."""
    landlord_id = _landlord(user)
    match = Q(pk__in=[])
    if report.property_id:
        match |= Q(property_id=report.property_id)
    if report.postcode:
        match |= Q(postcode=report.postcode)
    if report.reporter_person_id:
        match |= Q(parties__person_id=report.reporter_person_id)
    return list(
        # Only cases this user may see: a restricted case's reference is not shown to an adviser.
        cases_for_user(user=user)
        .filter(match, landlord_id=landlord_id, status__in=OPEN_STATUSES)
        .select_related("property", "officer")
        .distinct()
        .order_by("-opened_at")[:limit]
    )


def reports_for_case(*, case: Case) -> QuerySet[Report]:
    return Report.objects.filter(case=case).order_by("received_at")


# ---- staff pages (issue 4): the caller search, the queue's second table, evidence downloads -------


def open_cases_for_properties(*, user: User, property_ids: Iterable[int]) -> dict[int, list[Case]]:
    """The open cases at each of these properties that the user may see, in one query: the adviser
    taking a call sees at once whether the caller's home already has a case (issue 4 "Linking")."""
    ids = {pk for pk in property_ids if pk}
    found: dict[int, list[Case]] = {pk: [] for pk in ids}
    if not ids:
        return found
    cases = (
        cases_for_user(user=user)
        .filter(property_id__in=ids, status__in=OPEN_STATUSES)
        .select_related("officer")
        .order_by("-opened_at", "pk")
    )
    for case in cases:
        found[case.property_id].append(case)  # type: ignore[index]
    return found


def open_cases_for_people(*, user: User, person_ids: Iterable[int]) -> dict[int, list[Case]]:
    """The open cases each of these register people is a party to, that the user may see, in one
    query (the same people as a new report: issue 4 "Linking")."""
    ids = {pk for pk in person_ids if pk}
    found: dict[int, list[Case]] = {pk: [] for pk in ids}
    if not ids:
        return found
    parties = (
        Party.objects.filter(
            person_id__in=ids,
            case__in=cases_for_user(user=user).filter(status__in=OPEN_STATUSES).values("pk"),
        )
        .select_related("case__officer")
        .order_by("-case__opened_at", "pk")
    )
    for party in parties:
        cases = found[party.person_id]  # type: ignore[index]
        if all(case.pk != party.case_id for case in cases):
            cases.append(party.case)
    return found


def recently_triaged(*, user: User, limit: int = 20) -> list[Report]:
    """The latest decisions, newest first: a second look for the contact centre."""
    return list(
        Report.objects.filter(landlord_id=_landlord(user), status__in=TRIAGED)
        .select_related("property", "case", "triaged_by")
        .order_by("-triaged_at", "-pk")[:limit]
    )


def evidence_open(*, user: User, evidence_id: int, via: str = "web") -> Evidence:
    """An evidence file the user may open, with the opening audited (evidence of ASB names victims
    and alleged perpetrators, and may go to court: who saw it is part of its record). Only staff who
    take reports may open evidence; another landlord's file is NotFound."""
    if not can_take_report(user):
        raise NotFound("There is no such evidence file.")
    evidence = evidence_for_user(user=user, evidence_id=evidence_id)
    with transaction.atomic():
        audit_record(
            actor=user, verb=Verb.EVIDENCE_VIEWED, target=evidence, landlord_id=evidence.landlord_id,
            label=f"{evidence.report.reference} {evidence.kind}", via=via,
        )  # fmt: skip
    return evidence


# default: not in seed. The seeds time the first response (emh 4.2; whg 2.5), not triage; Haven asks
# for a decision within a working day of receipt so the response target can still be met.
TRIAGE_WITHIN_WORKING_DAYS = 1


def triage_clocks(*, landlord: Landlord, reports: list[Report], now: datetime) -> list[dict[str, Any]]:
    """Each waiting report with its clock: when triage is due, whether it is overdue, and the working
    days it has waited, in the landlord's working time (no queries per report)."""
    calendar = landlord_calendar(landlord)
    rows = []
    for report in reports:
        due = calendar.due_at(report.received_at, TRIAGE_WITHIN_WORKING_DAYS, TimeUnit.WORKING_DAYS)
        rows.append(
            {
                "report": report,
                "overdue": now > due,
                "due": due,
                "working_days": calendar.working_days_between(report.received_at, now),
            }
        )
    return rows
