"""Every read of reports: the triage queue, one report, and what a new report might belong to."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from haven.accounts.models import User
from haven.accounts.permissions import can_take_report
from haven.cases.models import Case, CaseStatus
from haven.common.errors import ApplicationError
from haven.intake.models import Evidence, Report, ReportStatus


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


def report_detail(*, user: User, reference: str) -> Report:
    try:
        return (
            Report.objects.select_related("property__patch", "reporter_person", "case", "recorded_by", "triaged_by")
            .prefetch_related("evidence")
            .get(landlord_id=_landlord(user), reference=reference)
        )
    except Report.DoesNotExist:
        raise NotFound(f"There is no report with the reference {reference}.") from None


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
        Case.objects.filter(match, landlord_id=landlord_id, status=CaseStatus.OPEN)
        .select_related("property", "officer")
        .distinct()
        .order_by("-opened_at")[:limit]
    )


def reports_for_case(*, case: Case) -> QuerySet[Report]:
    return Report.objects.filter(case=case).order_by("received_at")
