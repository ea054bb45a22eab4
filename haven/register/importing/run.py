"""Running an import: read the file, check every row, and apply it all or nothing, recorded.

Used by the services (``haven.register.services``), the ``haven import`` command and the worker.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Landlord, Team, User
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.common.errors import ApplicationError
from haven.common.files import file_sha256
from haven.policies.registry import get_profile
from haven.register.fields import list_clean, uprn_clean
from haven.register.importing.apply import APPLIERS
from haven.register.importing.layouts import LAYOUTS, Context, Layout, Problem, RowErrors
from haven.register.importing.reading import EXTRA_VALUES, FileProblem, open_table
from haven.register.models import ImportRun, ImportStatus, LocalAuthorityArea, Patch, Person, Property

PROBLEMS_KEPT = 500  # every problem is counted; the first 500 are kept to show
PROGRESS_EVERY = 2000
SMALL_ROW_SET = 50  # up to this many rows, read only the register records they name


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


def _context(landlord: Landlord, layout: Layout, today: date, only: list[dict[str, str]] | None = None) -> Context:
    """The register as it stands, read once: what rows are checked against.

    ``only`` is given for a handful of rows (one record through the API): then only the properties
    and people those rows name are read, not the landlord's whole register.
    """
    ctx = Context(landlord_id=landlord.pk, country=get_profile(landlord.policy_id).landlord.country.value, today=today)
    for patch_id, code, area_id in Patch.objects.filter(landlord=landlord).values_list(
        "id", "code", "local_authority_area_id"
    ):
        ctx.patches[code.upper()] = patch_id
        ctx.patch_areas[patch_id] = area_id
    ctx.areas = {
        n.lower(): i for i, n in LocalAuthorityArea.objects.filter(landlord=landlord).values_list("id", "name")
    }
    if layout.kind == "patches":
        ctx.teams = {n.lower(): i for i, n in Team.objects.filter(landlord=landlord).values_list("id", "name")}
        ctx.officers = {
            u.lower(): i
            for i, u in User.objects.filter(landlord=landlord, is_active=True).values_list("id", "username")
        }
    properties = Property.objects.filter(landlord=landlord)
    people = Person.objects.filter(landlord=landlord)
    if layout.kind == "properties":
        if only is not None:
            properties = properties.filter(uprn__in=_uprns(only))
        ctx.uprn_owner = dict(properties.values_list("uprn", "reference"))
    if layout.kind == "tenancies":
        if only is not None:
            properties = properties.filter(reference__in=[row.get("property_reference", "").strip() for row in only])
            people = people.filter(
                reference__in=[
                    ref
                    for row in only
                    for column in ("tenants", "household_members")
                    for ref in list_clean(row.get(column, ""))
                ]
            )
        ctx.property_ids = dict(properties.values_list("reference", "id"))
        ctx.person_ids = dict(people.values_list("reference", "id"))
    return ctx


def _uprns(rows: list[dict[str, str]]) -> list[str]:
    found = []
    for row in rows:
        with contextlib.suppress(ValueError):  # the row check reports a bad UPRN
            found.append(uprn_clean(row.get("uprn", "")))
    return found


def rows_check(
    *,
    landlord: Landlord,
    kind: str,
    rows: Iterable[tuple[int, dict[str, str]]],
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[dict[str, Any]], ImportResult]:
    """Clean every row; return the clean rows and the result with every problem found."""
    layout = LAYOUTS[kind]
    if isinstance(rows, list) and len(rows) <= SMALL_ROW_SET:
        ctx = _context(landlord, layout, today or timezone.localdate(), only=[data for _, data in rows])
    else:
        ctx = _context(landlord, layout, today or timezone.localdate())
    result = ImportResult(kind=kind)
    clean: list[dict[str, Any]] = []
    first_seen: dict[str, int] = {}
    uprn_seen: dict[str, int] = {}

    def problem(p: Problem) -> None:
        result.problem_count += 1
        if len(result.problems) < PROBLEMS_KEPT:
            result.problems.append(p)

    for number, data in rows:
        result.rows += 1
        errors = RowErrors(number)
        if data.pop(EXTRA_VALUES, None):
            errors.add(None, "has more values than the header has columns; check for a stray comma")
        for column, text in data.items():
            if "\x00" in text:  # PostgreSQL cannot store it; a sign of a binary or mis-saved file
                errors.add(column, "contains a character that cannot be stored (a NUL byte)")
                data[column] = text.replace("\x00", "")
        values = layout.clean(data, ctx, errors)
        key = data.get(layout.key, "")
        if key:
            if key in first_seen:
                errors.add(layout.key, f"'{key}' is also on row {first_seen[key]}; each reference once per file")
            else:
                first_seen[key] = number
        if kind == "properties" and values.get("uprn"):
            if values["uprn"] in uprn_seen:
                errors.add("uprn", f"UPRN {values['uprn']} is also on row {uprn_seen[values['uprn']]}")
            else:
                uprn_seen[values["uprn"]] = number
        for p in errors.problems:
            problem(p)
        if not errors.problems:
            clean.append(values)
        if progress and result.rows % PROGRESS_EVERY == 0:
            progress(result.rows)
    if result.rows == 0 and result.problem_count == 0:
        problem(Problem(None, None, "The file has a header line but no rows to import."))
    return clean, result


def _header_problems(layout: Layout, columns: list[str]) -> list[Problem]:
    found: list[Problem] = []
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            found.append(Problem(1, name, "appears twice in the header"))
        seen.add(name)
    missing = [c for c in layout.required if c not in seen]
    if missing:
        found.append(
            Problem(1, None, f"the header lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        )
    unknown = [c for c in columns if c and c not in layout.names]
    if unknown:
        found.append(
            Problem(
                1,
                None,
                f"{', '.join(unknown)} {'is not a column' if len(unknown) == 1 else 'are not columns'} of a "
                f"{layout.kind} file; the columns are: {', '.join(layout.names)}",
            )
        )
    return found


def register_import(
    *,
    actor: Any,
    landlord: Landlord,
    kind: str,
    path: Path,
    file_name: str,
    apply: bool,
    full_refresh: bool = False,
    via: str = "command",
    run: ImportRun | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[ImportRun, ImportResult]:
    """Check an import file and, when ``apply`` and every row is sound, write it all.

    Nothing is written unless every row passes (a file with one bad row imports nothing). Every
    check and apply is recorded as an ImportRun and in the audit trail: who, when, the file's
    SHA-256 and the counts.
    """
    if kind not in LAYOUTS:
        raise ApplicationError(f"Haven imports {', '.join(LAYOUTS)}, not {kind!r}.")
    result = ImportResult(kind=kind)
    clean: list[dict[str, Any]] = []
    if run is None:
        run = ImportRun.objects.create(
            landlord=landlord,
            kind=kind,
            uploaded_by=actor if isinstance(actor, User) else None,
            file_name=file_name[:255],
            sha256=file_sha256(path),
            size=path.stat().st_size,
            full_refresh=full_refresh,
            status=ImportStatus.RUNNING,
        )
    try:
        table = open_table(path, max_bytes=settings.HAVEN_IMPORT_MAX_MB * 1_000_000)
    except FileProblem as error:
        result.problems, result.problem_count = [Problem(None, None, str(error))], 1
    else:
        header = _header_problems(LAYOUTS[kind], table.columns)
        if header:
            result.problems, result.problem_count = header, len(header)
        else:
            clean, result = rows_check(landlord=landlord, kind=kind, rows=table.rows, progress=progress)
    run.rows_total = result.rows
    if apply and result.ok:
        with transaction.atomic():
            counts = APPLIERS[kind](
                landlord_id=landlord.pk, rows=clean, full_refresh=full_refresh, today=timezone.localdate()
            )
            result.counts, result.applied = counts.as_dict(), True
            _finish(run, result, ImportStatus.APPLIED)
            audit_record(
                actor=actor,
                verb=Verb.IMPORT_APPLIED,
                target=run,
                landlord_id=landlord.pk,
                via=via,
                changes=_audit_changes(run, result),
            )
        return run, result
    with transaction.atomic():
        _finish(run, result, ImportStatus.CHECKED if result.ok else ImportStatus.REJECTED)
        verb = Verb.IMPORT_CHECKED if result.ok else Verb.IMPORT_REJECTED
        audit_record(
            actor=actor, verb=verb, target=run, landlord_id=landlord.pk, via=via, changes=_audit_changes(run, result)
        )
    return run, result


def _finish(run: ImportRun, result: ImportResult, status: str) -> None:
    run.status = status
    run.rows_done = result.rows
    run.counts = result.counts
    run.problems = [p.as_dict() for p in result.problems]
    run.problem_count = result.problem_count
    run.finished_at = timezone.now()
    run.save()


def _audit_changes(run: ImportRun, result: ImportResult) -> dict[str, Any]:
    # Counts and the file's fingerprint only: never a row of personal data.
    return {
        "kind": [None, run.kind],
        "file_sha256": [None, run.sha256],
        "rows": [None, result.rows],
        "problems": [None, result.problem_count],
        "full_refresh": [None, run.full_refresh],
        **{name: [None, value] for name, value in result.counts.items()},
    }


def import_run_process(*, run_id: int) -> None:
    """The worker's part: check (or apply) a stored upload, showing progress on the run."""
    run = ImportRun.objects.select_related("landlord", "uploaded_by").get(pk=run_id)
    if run.status != ImportStatus.QUEUED:
        return
    path = Path(settings.HAVEN_IMPORT_DIR) / run.stored_as
    run.status, run.rows_done = ImportStatus.RUNNING, 0
    run.save(update_fields=["status", "rows_done", "updated_at"])

    def progress(done: int) -> None:
        ImportRun.objects.filter(pk=run.pk).update(rows_done=done)

    try:
        run, result = register_import(
            actor=run.uploaded_by,
            landlord=run.landlord,
            kind=run.kind,
            path=path,
            file_name=run.file_name,
            apply=run.apply_requested,
            full_refresh=run.full_refresh,
            via="web",
            run=run,
            progress=progress,
        )
    except Exception:
        ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.FAILED, finished_at=timezone.now(), stored_as="")
        path.unlink(missing_ok=True)
        raise
    if result.applied or not result.ok:
        # Personal data does not wait on disk once it is no longer needed.
        path.unlink(missing_ok=True)
        ImportRun.objects.filter(pk=run.pk).update(stored_as="")
