"""Reads of incidents, case files, diary links and the evidence inbox; each scoped to the user.

Sensitive files are in the secure area (WWH 3.0): only the case's officer, specialists and managers
see them (``can_view_sensitive``); for everyone else they are left out of every list. Opening a
file is audited (``FILE_VIEWED``), like every view of a sensitive record (ARCHITECTURE.md 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import CharField, F, Prefetch, Q, QuerySet, Value
from django.utils import timezone

from haven.accounts.models import Role, User
from haven.accounts.permissions import can_view_case, can_view_sensitive, is_landlord_staff
from haven.accounts.selectors import landlord_calendar, landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseFile, DiaryLink, Incident
from haven.cases.selectors.core import NotFound, cases_for_user
from haven.common.files import evidence_folder


def _visible_files(user: User, case: Case) -> QuerySet[CaseFile]:
    files = CaseFile.objects.filter(case=case).select_related("uploaded_by").order_by("created_at", "pk")
    return files if can_view_sensitive(user, case) else files.filter(sensitive=False)


def incidents_of_case(*, user: User, case: Case) -> QuerySet[Incident]:
    """The case's incidents, newest first, each with the files the user may see (two queries)."""
    if not can_view_case(user, case):
        return Incident.objects.none()
    return (
        Incident.objects.filter(case=case)
        .select_related("party__person", "recorded_by", "reviewed_by")
        .prefetch_related(Prefetch("files", queryset=_visible_files(user, case)))
        .order_by("-occurred_at", "-pk")
    )


def case_incidents(*, user: User, case: Case) -> list[Incident]:
    return list(incidents_of_case(user=user, case=case))


def files_of_case(*, user: User, case: Case) -> QuerySet[CaseFile]:
    """Every file on the case the user may see, oldest first."""
    if not can_view_case(user, case):
        return CaseFile.objects.none()
    return _visible_files(user, case)


def case_loose_files(*, user: User, case: Case) -> list[CaseFile]:
    """Files on the case that belong to no incident (statements, documents, evidence alone)."""
    if not can_view_case(user, case):
        return []
    return list(_visible_files(user, case).filter(incident__isnull=True))


def case_diary_links(*, case: Case) -> list[DiaryLink]:
    """The diary links sent for the case, newest first, with who they were sent to."""
    return list(DiaryLink.objects.filter(case=case).select_related("party__person").order_by("-created_at"))


@dataclass(frozen=True)
class EvidenceWaiting:
    """Unreviewed evidence on one case: how many items, and the oldest one's review deadline."""

    count: int
    oldest_at: datetime | None
    review_by: datetime | None
    late: bool


def evidence_waiting(*, case: Case, incidents: list[Incident], files: list[CaseFile]) -> EvidenceWaiting:
    """From the lists the page already holds: unreviewed incidents and files, the oldest received
    and when it should be reviewed by (``casework.evidence_review_within`` in working time)."""
    seen_files = files + [f for i in incidents for f in i.files.all()]
    times = [i.created_at for i in incidents if i.reviewed_at is None]
    times += [f.created_at for f in seen_files if f.reviewed_at is None]
    if not times:
        return EvidenceWaiting(0, None, None, False)
    oldest = min(times)
    within = landlord_profile(case.landlord).casework.evidence_review_within
    review_by = landlord_calendar(case.landlord).due_at(oldest, within.amount, within.unit)
    return EvidenceWaiting(len(times), oldest, review_by, timezone.now() > review_by)


def case_file_open(*, user: User, reference: str, file_id: int, via: str = "web") -> tuple[CaseFile, Path]:
    """A case file to download, for someone who may see the case (and, for a sensitive file, the
    secure area); each opening is audited. ``NotFound`` for anything else, so nothing is revealed."""
    case_file = (
        CaseFile.objects.select_related("case")
        .filter(pk=file_id, case__reference=reference, case__landlord_id=getattr(user, "landlord_id", None) or 0)
        .first()
    )
    if case_file is None or not can_view_case(user, case_file.case):
        raise NotFound("There is no such file.")
    if case_file.sensitive and not can_view_sensitive(user, case_file.case):
        raise NotFound("There is no such file.")
    with transaction.atomic():
        audit_record(
            actor=user, verb=Verb.FILE_VIEWED, target=case_file.case, via=via,
            changes={"file": [None, case_file.pk], "sha256": [None, case_file.sha256]},
        )  # fmt: skip
    return case_file, evidence_folder() / case_file.stored_name


def case_file_of(*, case: Case, file_id: int) -> CaseFile | None:
    return CaseFile.objects.filter(case=case, pk=file_id).first()


def incident_of(*, case: Case, incident_id: int) -> Incident | None:
    return Incident.objects.filter(case=case, pk=incident_id).first()


def diary_link_of(*, case: Case, link_id: int) -> DiaryLink | None:
    return DiaryLink.objects.filter(case=case, pk=link_id).first()


# ---- the evidence inbox ---------------------------------------------------------------------------


def can_use_inbox(user: Any) -> bool:
    """The inbox lists work to do, so it is for caseworkers (officers, specialists, managers)."""
    return is_landlord_staff(user) and user.role in (Role.OFFICER, Role.SPECIALIST, Role.MANAGER)


def _workable_cases(user: User) -> QuerySet[Case]:
    """The open cases this user can work (``can_work_case`` as one query)."""
    cases = cases_for_user(user=user).filter(status__in=["open", "reopened"])
    return (
        cases
        if user.role in (Role.SPECIALIST, Role.MANAGER)
        else cases.filter(Q(officer_id=user.pk) | Q(team_id=user.team_id or 0))
    )


def evidence_inbox(*, user: User) -> QuerySet[Any]:
    """Unreviewed incidents and files on cases the user can work, oldest first, as one query of
    (kind, id, received) rows to paginate; ``inbox_rows`` turns a page into records (two queries)."""
    if not can_use_inbox(user):
        return Incident.objects.none().values_list("pk")
    cases = _workable_cases(user)
    incidents = (
        Incident.objects.filter(case__in=cases, reviewed_at__isnull=True)
        .annotate(what=Value("incident", output_field=CharField()), item=F("pk"), at=F("created_at"))
        .values_list("what", "item", "at")
    )
    files = CaseFile.objects.filter(case__in=cases, reviewed_at__isnull=True)
    if user.role not in (Role.SPECIALIST, Role.MANAGER):
        files = files.filter(Q(sensitive=False) | Q(case__officer_id=user.pk))
    file_rows = files.annotate(what=Value("file", output_field=CharField()), item=F("pk"), at=F("created_at"))
    return incidents.union(file_rows.values_list("what", "item", "at"), all=True).order_by("at", "what", "item")


def inbox_rows(rows: list[tuple[str, int, datetime]]) -> list[dict[str, Any]]:
    """The records of one page of the inbox, in its order, with their cases: two queries."""
    incident_ids = [item for kind, item, _ in rows if kind == "incident"]
    file_ids = [item for kind, item, _ in rows if kind == "file"]
    incidents = Incident.objects.select_related("case", "party__person").in_bulk(incident_ids) if incident_ids else {}
    files = CaseFile.objects.select_related("case", "incident").in_bulk(file_ids) if file_ids else {}
    found = []
    for kind, item, at in rows:
        record = incidents.get(item) if kind == "incident" else files.get(item)
        if record is not None:
            found.append({"kind": kind, "record": record, "case": record.case, "at": at})
    return found
