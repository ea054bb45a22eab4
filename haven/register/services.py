"""Every write to the register: file imports (check, apply), uploads, and single-record upserts.

One path checks every row, whether it comes from a CSV or Excel file, the import page or the API:
``importing.layouts`` cleans a row, ``importing.apply`` writes clean rows. An apply is all or
nothing (one transaction) and idempotent (rows update by the landlord's reference).
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.common.errors import ApplicationError
from haven.register.importing.apply import APPLIERS
from haven.register.importing.layouts import LAYOUTS, Problem
from haven.register.importing.run import ImportResult, register_import, rows_check
from haven.register.models import ImportRun, ImportStatus
from haven.register.tasks import import_run_task

__all__ = ["ImportResult", "import_request_apply", "import_upload", "record_upsert", "register_import"]


# ---- uploads through the import page, processed by the worker ----------------------------------


def import_upload(*, actor: User, landlord: Landlord, kind: str, upload: UploadedFile, full_refresh: bool) -> ImportRun:
    """Store an uploaded file under a random name outside the web root and queue its check."""
    if kind not in LAYOUTS:
        raise ApplicationError("Choose what the file holds.", fields={"kind": "Choose what the file holds."})
    limit = settings.HAVEN_IMPORT_MAX_MB * 1_000_000
    if upload.size and upload.size > limit:
        message = (
            f"The file is {upload.size / 1_000_000:.0f} MB; the largest file Haven imports is "
            f"{settings.HAVEN_IMPORT_MAX_MB} MB. Split it into smaller files."
        )
        raise ApplicationError(message, fields={"file": message})
    folder = Path(settings.HAVEN_IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.upload"
    digest = hashlib.sha256()
    try:
        with (folder / stored).open("wb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                out.write(chunk)
        run = _run_create(
            landlord=landlord,
            kind=kind,
            actor=actor,
            upload=upload,
            stored=stored,
            sha256=digest.hexdigest(),
            full_refresh=full_refresh,
        )
    except BaseException:
        (folder / stored).unlink(missing_ok=True)  # no file left behind without its run record
        raise
    _enqueue(run)
    return run


def _run_create(
    *, landlord: Landlord, kind: str, actor: User, upload: UploadedFile, stored: str, sha256: str, full_refresh: bool
) -> ImportRun:
    return ImportRun.objects.create(
        landlord=landlord,
        kind=kind,
        uploaded_by=actor,
        file_name=(upload.name or "upload")[:255],
        stored_as=stored,
        sha256=sha256,
        size=upload.size or 0,
        full_refresh=full_refresh,
        status=ImportStatus.QUEUED,
    )


@transaction.atomic
def import_request_apply(*, actor: User, run: ImportRun) -> ImportRun:
    """Apply a checked file. The file is checked again when applied: the register may have moved.

    The run is locked while it is queued, so two clicks on "Import" queue one apply, not two.
    """
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ImportStatus.CHECKED or not run.stored_as:
        raise ApplicationError("Only a file that has been checked without problems can be imported.")
    run.apply_requested = True
    run.status = ImportStatus.QUEUED
    run.save(update_fields=["apply_requested", "status", "updated_at"])
    _enqueue(run)
    return run


def _enqueue(run: ImportRun) -> None:
    transaction.on_commit(lambda: import_run_task.enqueue(run_id=run.pk))


def _by_column(problems: list[Problem]) -> dict[str, str]:
    """Every problem of a column, not just the last: "is empty...; is too long..."."""
    found: dict[str, list[str]] = {}
    for p in problems:
        found.setdefault(p.column or "non_field_errors", []).append(p.message)
    return {column: "; ".join(messages) for column, messages in found.items()}


# ---- single records through the API -------------------------------------------------------------


@transaction.atomic
def record_upsert(*, actor: User, landlord: Landlord, kind: str, data: dict[str, str], via: str = "api") -> str:
    """Create or update one property, person or tenancy from the same columns as the import file.

    Returns "created", "updated" or "unchanged"; raises ApplicationError with a field per problem.
    """
    layout = LAYOUTS[kind]
    clean, result = rows_check(landlord=landlord, kind=kind, rows=[(1, dict(data))])
    if not result.ok:
        raise ApplicationError(
            "The record was not saved: " + "; ".join(f"{p.column}: {p.message}" for p in result.problems),
            fields=_by_column(result.problems),
        )
    counts = APPLIERS[kind](landlord_id=landlord.pk, rows=clean, full_refresh=False, today=timezone.localdate())
    outcome = (
        next(name for name, value in counts.as_dict().items() if value)
        if any(counts.as_dict().values())
        else "unchanged"
    )
    audit_record(
        actor=actor,
        verb=Verb.RECORD_UPSERTED,
        landlord_id=landlord.pk,
        label=f"{layout.kind} {data.get(layout.key, '')}",
        via=via,
        changes={"outcome": [None, outcome]},
    )
    return outcome
