"""Files on a case: evidence (alone or with an incident), witness statements and documents.

Every file is checked by its content against the allow-list (``common.files``), stored under a
random name in ``HAVEN_EVIDENCE_DIR`` (never under the web root) and hashed (SHA-256) as it is
received, so that the copy produced at court can be shown to be the one received. Nothing is kept
when anything fails: no row, no file on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_view_sensitive, can_work_case
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseFile, DiaryLink, FileKind, Incident
from haven.cases.services.core import case_refresh
from haven.common.errors import ApplicationError
from haven.common.files import Sniffed, discard, evidence_folder, store, upload_check, uploads_check

DESCRIPTION_LIMIT = 500


def files_check(files: Sequence[UploadedFile], *, field: str = "files") -> list[tuple[UploadedFile, Sniffed]]:
    """Every file checked before anything is written; one message naming each bad file and what
    is allowed (``common.files.ALLOWED_TEXT``)."""
    good, problems = uploads_check(list(files))
    if problems:
        raise ApplicationError(" ".join(problems), fields={field: " ".join(problems)})
    return good


def files_store(
    *,
    case: Case,
    good: Sequence[tuple[UploadedFile, Sniffed]],
    stored: list[Path],
    actor: User | None,
    kind: str = FileKind.EVIDENCE,
    incident: Incident | None = None,
    description: str = "",
    sensitive: bool = False,
    via: str = "web",
    diary_link: DiaryLink | None = None,
    reviewed: bool = False,
    audit_actor: User | str | None = None,
) -> list[CaseFile]:
    """Store checked files and their rows, in the caller's transaction. Each stored path is added to
    ``stored`` at once, so the caller can delete them all if the transaction does not commit."""
    folder = evidence_folder()
    made: list[CaseFile] = []
    now = timezone.now()
    for upload, found in good:
        name, digest = store(upload, found, folder)
        stored.append(folder / name)
        case_file = CaseFile.objects.create(
            case=case,
            incident=incident,
            kind=kind,
            original_name=(upload.name or "file")[:255],
            stored_name=name,
            content_type=found.content_type,
            size=upload.size or 0,
            sha256=digest,
            description=description.strip()[:DESCRIPTION_LIMIT],
            sensitive=sensitive,
            uploaded_by=actor,
            uploaded_via=via,
            diary_link=diary_link,
            reviewed_at=now if reviewed else None,
            reviewed_by=actor if reviewed else None,
        )
        audit_record(
            actor=audit_actor if audit_actor is not None else actor, verb=Verb.FILE_ADDED, target=case, via=via,
            changes={"file": [None, case_file.pk], "kind": [None, kind], "sha256": [None, digest],
                     "incident": [None, incident.pk if incident else None], "sensitive": [None, sensitive]},
        )  # fmt: skip
        made.append(case_file)
    return made


@transaction.atomic
def case_file_add(
    *,
    actor: User,
    case: Case,
    upload: UploadedFile | None,
    kind: str,
    description: str = "",
    sensitive: bool = False,
    incident: Incident | None = None,
    via: str = "web",
) -> CaseFile:
    """Add one file to a case. Added by a caseworker, it counts as reviewed (they have seen it).
    A sensitive file goes in the secure area (WWH 3.0): only the case's officer, specialists and
    managers see it afterwards."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot add files to this case.")
    problems: dict[str, str] = {}
    if kind not in FileKind.values:
        problems["kind"] = "Choose what the file is: evidence, a witness statement or a document."
    if incident is not None and incident.case_id != case.pk:
        problems["incident"] = "That incident is not on this case."
    if len(description) > DESCRIPTION_LIMIT:
        problems["description"] = f"Describe the file in no more than {DESCRIPTION_LIMIT} characters."
    if upload is None:
        problems["file"] = "Choose a file to add."
    else:
        found, problem = upload_check(upload)
        if found is None:
            problems["file"] = problem
    if not case.is_open:
        problems.setdefault("file", "This case is closed: files cannot be added.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert upload is not None and found is not None
    stored: list[Path] = []
    try:
        (case_file,) = files_store(
            case=case, good=[(upload, found)], stored=stored, actor=actor, kind=kind, incident=incident,
            description=description, sensitive=sensitive, via=via, reviewed=True,
        )  # fmt: skip
        case_refresh(case, activity_at=timezone.now())
    except BaseException:
        discard(stored)
        raise
    return case_file


@transaction.atomic
def case_file_review(*, actor: User, case_file: CaseFile, via: str = "web") -> CaseFile:
    """Mark a file as reviewed by a caseworker: it leaves the evidence inbox."""
    case = Case.objects.select_for_update().get(pk=case_file.case_id)
    case_file = CaseFile.objects.get(pk=case_file.pk)
    if not can_work_case(actor, case) or (case_file.sensitive and not can_view_sensitive(actor, case)):
        raise ApplicationError("You cannot review files on this case.")
    if case_file.reviewed_at is not None:
        raise ApplicationError("This file has already been reviewed.", fields={"file": "Already reviewed."})
    case_file.reviewed_at, case_file.reviewed_by = timezone.now(), actor
    case_file.save(update_fields=["reviewed_at", "reviewed_by", "updated_at"])
    case_refresh(case, activity_at=case_file.reviewed_at)
    audit_record(actor=actor, verb=Verb.FILE_REVIEWED, target=case, via=via, changes={"file": [None, case_file.pk]})
    return case_file
