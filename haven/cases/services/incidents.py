"""Incidents: each occurrence of the behaviour, with when (and until when), where, who, what, and
where the account came from (a report, a diary sheet, the officer's own observation, a partner,
CCTV), each with its evidence files.

Evidence is what a finding (whg 4.1: on the balance of probabilities) and any legal action rest on,
so every incident is dated, none may be in the future or end before it starts, and the files are
hashed on receipt (``services.files``). An entry made by a caseworker counts as reviewed; entries
from a reporter's diary link wait in the evidence inbox until a caseworker reviews them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseFile, Incident, IncidentSource, Party
from haven.cases.services.core import case_refresh
from haven.cases.services.files import files_check, files_store
from haven.common.errors import ApplicationError
from haven.common.files import discard

LOCATION_LIMIT = 300
PEOPLE_LIMIT = 2_000
DESCRIPTION_LIMIT = 10_000
FUTURE_GRACE = timedelta(minutes=5)  # clocks differ a little between a phone and the server


def incident_problems(
    *,
    occurred_at: datetime | None,
    occurred_until: datetime | None,
    location: str,
    people: str,
    description: str,
    now: datetime,
    earliest: datetime | None = None,
) -> dict[str, str]:
    """The problems with an incident's account, each for its own field (also used by diary entries,
    so the messages are in the active language: Welsh on a Welsh landlord's diary page)."""
    problems: dict[str, str] = {}
    if occurred_at is None:
        problems["occurred_at"] = gettext("Enter the date and time it happened.")
    elif occurred_at > now + FUTURE_GRACE:
        problems["occurred_at"] = gettext("The date and time it happened cannot be in the future.")
    elif earliest is not None and occurred_at < earliest:
        problems["occurred_at"] = gettext("The date it happened is too long ago to be right; check the year.")
    if occurred_until is not None and occurred_at is not None and "occurred_at" not in problems:
        if occurred_until < occurred_at:
            problems["occurred_until"] = gettext("The time it ended must be after the time it started.")
        elif occurred_until > now + FUTURE_GRACE:
            problems["occurred_until"] = gettext("The time it ended cannot be in the future.")
    if not description.strip():
        problems["description"] = gettext("Describe what happened.")
    elif len(description) > DESCRIPTION_LIMIT:
        problems["description"] = gettext("Describe what happened in no more than %(limit)s characters.") % {
            "limit": f"{DESCRIPTION_LIMIT:,}"
        }
    if len(location) > LOCATION_LIMIT:
        problems["location"] = gettext("Say where in no more than %(limit)s characters.") % {"limit": LOCATION_LIMIT}
    if len(people) > PEOPLE_LIMIT:
        problems["people"] = gettext("Say who was involved in no more than %(limit)s characters.") % {
            "limit": f"{PEOPLE_LIMIT:,}"
        }
    return problems


EARLIEST_YEARS = 10  # default: not in seed; an incident older than this is almost surely a typing slip


@transaction.atomic
def incident_record(
    *,
    actor: User,
    case: Case,
    occurred_at: datetime | None,
    occurred_until: datetime | None = None,
    location: str = "",
    people: str = "",
    description: str,
    source: str,
    party: Party | None = None,
    files: Sequence[UploadedFile] = (),
    via: str = "web",
) -> Incident:
    """Record an incident on an open case, with its evidence files, by a caseworker (the case's
    officer, its team, specialists, managers) on a page or through the API. Recorded by staff, the
    incident and its files count as reviewed: only entries from a diary link wait for review."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot record incidents on this case.")
    now = timezone.now()
    problems = incident_problems(
        occurred_at=occurred_at, occurred_until=occurred_until, location=location, people=people,
        description=description, now=now, earliest=now - timedelta(days=366 * EARLIEST_YEARS),
    )  # fmt: skip
    if source not in IncidentSource.values:
        problems["source"] = "Choose where the account came from."
    if party is not None and (party.case_id != case.pk or party.removed_at is not None):
        problems["party"] = "That person is not a party to this case."
    try:
        good = files_check(files)
    except ApplicationError as failure:
        problems.update(failure.fields)
    if not case.is_open:
        problems.setdefault("description", "This case is closed: incidents cannot be added.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert occurred_at is not None
    stored: list[Path] = []
    try:
        incident = Incident.objects.create(
            case=case, occurred_at=occurred_at, occurred_until=occurred_until, location=location.strip(),
            people=people.strip(), description=description.strip(), source=source, party=party,
            recorded_by=actor, recorded_via=via, reviewed_at=now, reviewed_by=actor,
        )  # fmt: skip
        files_store(case=case, good=good, stored=stored, actor=actor, incident=incident, via=via, reviewed=True)
        case_refresh(case, activity_at=now)
        audit_record(
            actor=actor, verb=Verb.INCIDENT_RECORDED, target=case, via=via,
            changes={"incident": [None, incident.pk], "source": [None, source], "files": [None, len(good)],
                     "occurred_at": [None, occurred_at.isoformat()]},
        )  # fmt: skip
    except BaseException:
        discard(stored)
        raise
    return incident


@transaction.atomic
def incident_review(*, actor: User, incident: Incident, via: str = "web") -> Incident:
    """Mark an incident (a diary entry, usually) as reviewed by a caseworker, with the files that
    came with it: they leave the evidence inbox."""
    case = Case.objects.select_for_update().get(pk=incident.case_id)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot review incidents on this case.")
    incident = Incident.objects.get(pk=incident.pk)
    if incident.reviewed_at is not None:
        raise ApplicationError("This incident has already been reviewed.", fields={"incident": "Already reviewed."})
    now = timezone.now()
    incident.reviewed_at, incident.reviewed_by = now, actor
    incident.save(update_fields=["reviewed_at", "reviewed_by", "updated_at"])
    files = CaseFile.objects.filter(incident=incident, reviewed_at__isnull=True, sensitive=False)
    reviewed_files = sorted(files.values_list("pk", flat=True))
    files.update(reviewed_at=now, reviewed_by=actor, updated_at=now)
    case_refresh(case, activity_at=now)
    audit_record(
        actor=actor, verb=Verb.INCIDENT_REVIEWED, target=case, via=via,
        changes={"incident": [None, incident.pk], "files_reviewed": [None, reviewed_files]},
    )  # fmt: skip
    return incident
